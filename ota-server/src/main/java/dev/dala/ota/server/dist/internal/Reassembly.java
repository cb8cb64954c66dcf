package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.DistObserver.Closure;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts fragmented incoming messages back together (erl_ext_dist.md, "Distribution Header for
 * Fragmented Messages"). A first fragment declares how many fragments follow, counting down to
 * one. Every bound is checked before bytes are kept: the declared count, the reassembled size,
 * how many messages may be open at once, and the order of fragments. Anything else is a
 * fragment bomb or a broken peer and closes the connection.
 */
public final class Reassembly {

  private static final class Pending {
    long nextFragment;
    byte[] bytes;
    int length;
  }

  private final int maxMessageBytes;
  private final int maxFragments;
  private final int maxOpen;
  private final Map<Long, Pending> open = new HashMap<>();

  public Reassembly(int maxMessageBytes, int maxFragments, int maxOpen) {
    this.maxMessageBytes = maxMessageBytes;
    this.maxFragments = maxFragments;
    this.maxOpen = maxOpen;
  }

  /**
   * A first fragment of {@code fragments}. Returns the complete message when it is the only
   * fragment, otherwise null.
   */
  public byte[] first(long sequence, long fragments, byte[] frame, int offset) throws ProtocolViolation {
    if (fragments < 1 || fragments > maxFragments) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "declares " + Long.toUnsignedString(fragments) + " fragments");
    }
    int length = frame.length - offset;
    if (length > maxMessageBytes) {
      throw new ProtocolViolation(Closure.OVERSIZED_MESSAGE, "message over " + maxMessageBytes + " bytes");
    }
    if (fragments == 1) {
      return java.util.Arrays.copyOfRange(frame, offset, frame.length);
    }
    if (open.containsKey(sequence)) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "sequence started twice");
    }
    if (open.size() >= maxOpen) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "more than " + maxOpen + " fragmented messages open");
    }
    Pending p = new Pending();
    p.nextFragment = fragments - 1;
    p.bytes = new byte[Math.min(maxMessageBytes, Math.max(length * 2, 256))];
    p.length = 0;
    append(p, frame, offset);
    open.put(sequence, p);
    return null;
  }

  /** A continuation fragment; returns the complete message after the last one, otherwise null. */
  public byte[] next(long sequence, long fragment, byte[] frame, int offset) throws ProtocolViolation {
    Pending p = open.get(sequence);
    if (p == null) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "continuation of an unknown sequence");
    }
    if (fragment != p.nextFragment) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "fragment out of order");
    }
    if (frame.length == offset) {
      throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "empty fragment");
    }
    append(p, frame, offset);
    if (fragment == 1) {
      open.remove(sequence);
      return java.util.Arrays.copyOf(p.bytes, p.length);
    }
    p.nextFragment = fragment - 1;
    return null;
  }

  private void append(Pending p, byte[] frame, int offset) throws ProtocolViolation {
    int n = frame.length - offset;
    if ((long) p.length + n > maxMessageBytes) {
      throw new ProtocolViolation(Closure.OVERSIZED_MESSAGE, "message over " + maxMessageBytes + " bytes");
    }
    if (p.length + n > p.bytes.length) {
      p.bytes = java.util.Arrays.copyOf(p.bytes, (int) Math.min(maxMessageBytes, Math.max(p.bytes.length * 2L, p.length + n)));
    }
    System.arraycopy(frame, offset, p.bytes, p.length, n);
    p.length += n;
  }
}
