package dev.dala.ota.server.dist.internal;

import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfEncoder;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes control messages as the frames a BEAM expects. With FRAGMENTS negotiated every
 * message carries a distribution header without atom-cache entries ({@code 131, 68, 0}), and
 * a message larger than one fragment is cut into a first fragment ({@code 131, 69}, sequence,
 * count, no atom-cache entries) and continuations ({@code 131, 70}, sequence, countdown).
 * Without FRAGMENTS it is the pass-through form: {@code 112}, then each term with its own
 * version byte.
 */
public final class OutboundFrames {

  private static final int VERSION = 131;
  private static final int DIST_HEADER = 68;
  private static final int DIST_FRAG_HEADER = 69;
  private static final int DIST_FRAG_CONT = 70;
  private static final int PASS_THROUGH = 112;

  private final boolean fragments;
  private final int fragmentBytes;
  private long nextSequence = 1;

  public OutboundFrames(boolean fragments, int fragmentBytes) {
    this.fragments = fragments;
    this.fragmentBytes = fragmentBytes;
  }

  /** The frames, each with its 4-byte length, that carry {@code control} and {@code payload} (may be null). */
  public List<Buffer> frames(ErlTerm control, ErlTerm payload) {
    if (!fragments) {
      byte[] c = EtfEncoder.encode(control);
      byte[] p = payload == null ? new byte[0] : EtfEncoder.encode(payload);
      return List.of(Buffer.buffer(5 + c.length + p.length)
          .appendInt(1 + c.length + p.length).appendUnsignedByte((short) PASS_THROUGH).appendBytes(c).appendBytes(p));
    }
    byte[] c = EtfEncoder.encodeBody(control);
    byte[] p = payload == null ? new byte[0] : EtfEncoder.encodeBody(payload);
    int total = c.length + p.length;
    if (total <= fragmentBytes) {
      return List.of(Buffer.buffer(7 + total).appendInt(3 + total)
          .appendUnsignedByte((short) VERSION).appendUnsignedByte((short) DIST_HEADER).appendUnsignedByte((short) 0)
          .appendBytes(c).appendBytes(p));
    }
    if (c.length > fragmentBytes) {
      // erts decodes the control message from the first fragment alone.
      throw new IllegalStateException("control message larger than a fragment");
    }
    long sequence = nextSequence++;
    int count = (total + fragmentBytes - 1) / fragmentBytes;
    List<Buffer> out = new ArrayList<>(count);
    Body body = new Body(c, p);
    for (int i = 0; i < count; i++) {
      int from = i * fragmentBytes;
      int n = Math.min(fragmentBytes, total - from);
      long countdown = count - i;
      Buffer frame;
      if (i == 0) {
        frame = Buffer.buffer(4 + 19 + n).appendInt(19 + n)
            .appendUnsignedByte((short) VERSION).appendUnsignedByte((short) DIST_FRAG_HEADER)
            .appendLong(sequence).appendLong(countdown).appendUnsignedByte((short) 0);
      } else {
        frame = Buffer.buffer(4 + 18 + n).appendInt(18 + n)
            .appendUnsignedByte((short) VERSION).appendUnsignedByte((short) DIST_FRAG_CONT)
            .appendLong(sequence).appendLong(countdown);
      }
      body.copy(frame, from, n);
      out.add(frame);
    }
    return out;
  }

  /** A tick: a frame of length zero. */
  public static Buffer tick() {
    return Buffer.buffer(4).appendInt(0);
  }

  /** The control and payload bytes seen as one sequence, without concatenating them. */
  private record Body(byte[] control, byte[] payload) {
    void copy(Buffer into, int from, int n) {
      int end = from + n;
      if (from < control.length) {
        int m = Math.min(end, control.length) - from;
        into.appendBytes(control, from, m);
      }
      if (end > control.length) {
        int start = Math.max(from, control.length) - control.length;
        into.appendBytes(payload, start, end - control.length - start);
      }
    }
  }
}
