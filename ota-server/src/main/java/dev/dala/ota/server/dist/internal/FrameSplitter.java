package dev.dala.ota.server.dist.internal;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into length-prefixed frames: 2-byte lengths during the handshake, 4-byte
 * lengths after it. The length is checked against the cap before any of the frame is kept,
 * so an oversized prefix costs nothing but the header.
 */
public final class FrameSplitter {

  /** Receives each complete frame, or the length of one that is too large. */
  public interface Sink {
    void frame(byte[] frame);

    void oversized(long length);
  }

  private Buffer pending = Buffer.buffer();
  private int headerBytes;
  private int maxFrameBytes;
  private boolean stopped;

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

  /** Stops delivering frames, for example while the connection waits on a session lookup. */
  public void stop() {
    stopped = true;
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Resumes delivery, first of the frames already buffered. */
  public void resume(Sink sink) {
    stopped = false;
    drain(sink);
  }

  /** Bytes received but not yet delivered as frames. */
  public int buffered() {
    return pending.length();
  }

  public void feed(Buffer data, Sink sink) {
    pending.appendBuffer(data);
    drain(sink);
  }

  private void drain(Sink sink) {
    int offset = 0;
    while (!stopped) {
      int available = pending.length() - offset;
      if (available < headerBytes) {
        break;
      }
      long length = headerBytes == 2 ? pending.getUnsignedShort(offset) : pending.getUnsignedInt(offset);
      if (length > maxFrameBytes) {
        stopped = true;
        pending = Buffer.buffer();
        sink.oversized(length);
        return;
      }
      if (available < headerBytes + length) {
        break;
      }
      byte[] frame = pending.getBytes(offset + headerBytes, offset + headerBytes + (int) length);
      offset += headerBytes + (int) length;
      sink.frame(frame);
    }
    if (offset > 0) {
      pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
    }
  }
}
