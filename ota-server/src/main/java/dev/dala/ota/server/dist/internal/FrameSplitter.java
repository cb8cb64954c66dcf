package dev.dala.ota.server.dist.internal;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into length-prefixed frames: 2-byte lengths during the handshake, 4-byte
 * lengths after it. The length is checked against the cap before any of the frame is kept,
 * so an oversized prefix costs nothing but the header. A frame is consumed before it is
 * handed on, so a sink that fails never sees it twice.
 */
public final class FrameSplitter {

  /** Receives each complete frame, or the length of one that is too large. */
  public interface Sink {
    void frame(byte[] frame);

    void oversized(long length);
  }

  /** Input held while paused, beyond one whole frame, before the peer counts as flooding. */
  private static final int PAUSED_SLACK = 64 * 1024;

  private Buffer pending = Buffer.buffer();
  private int readPos;
  private int headerBytes;
  private int maxFrameBytes;
  private boolean paused;
  private boolean halted;

  public FrameSplitter(int headerBytes, int maxFrameBytes) {
    mode(headerBytes, maxFrameBytes);
  }

  /** Switches the length prefix and cap; bytes already received are read in the new mode. */
  public void mode(int headerBytes, int maxFrameBytes) {
    if (headerBytes != 2 && headerBytes != 4) {
      throw new IllegalArgumentException("headerBytes must be 2 or 4");
    }
    this.headerBytes = headerBytes;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Holds frames back, for example while the connection waits on a session lookup. The caller
   * also pauses the socket, so little arrives meanwhile; what does is kept, within a bound.
   */
  public void pause() {
    paused = true;
  }

  /** Stops for good: nothing more is delivered and input is dropped, not kept. */
  public void halt() {
    halted = true;
    pending = Buffer.buffer();
    readPos = 0;
  }

  /** Resumes delivery, first of the frames already buffered. */
  public void resume(Sink sink) {
    paused = false;
    drain(sink);
  }

  public void feed(Buffer data, Sink sink) {
    if (halted) {
      return;
    }
    pending.appendBuffer(data);
    if (paused && pending.length() - readPos > headerBytes + maxFrameBytes + PAUSED_SLACK) {
      halt();
      sink.oversized(pending.length());
      return;
    }
    drain(sink);
  }

  private void drain(Sink sink) {
    try {
      while (!paused && !halted) {
        int available = pending.length() - readPos;
        if (available < headerBytes) {
          break;
        }
        long length = headerBytes == 2 ? pending.getUnsignedShort(readPos) : pending.getUnsignedInt(readPos);
        if (length > maxFrameBytes) {
          halt();
          sink.oversized(length);
          return;
        }
        if (available < headerBytes + length) {
          break;
        }
        byte[] frame = pending.getBytes(readPos + headerBytes, readPos + headerBytes + (int) length);
        readPos += headerBytes + (int) length;
        sink.frame(frame);
      }
    } finally {
      compact();
    }
  }

  private void compact() {
    if (readPos > 0 && !halted) {
      pending = readPos == pending.length() ? Buffer.buffer() : pending.getBuffer(readPos, pending.length());
      readPos = 0;
    }
  }
}
