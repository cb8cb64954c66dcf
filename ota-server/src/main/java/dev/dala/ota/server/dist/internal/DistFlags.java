package dev.dala.ota.server.dist.internal;

/**
 * Distribution capability flags (erts' dist.h and kernel's dist.hrl). The endpoint advertises
 * the flags every OTP release from 25 to 29 requires, plus three it uses: FRAGMENTS, so that
 * megabyte modules travel in 64 KiB pieces without blocking the peer's other traffic;
 * DIST_MONITOR with DIST_MONITOR_NAME, so that an agent may monitor the session process (erts
 * sends monitor requests only when both are negotiated); SEND_SENDER, so that the peer names the
 * sending process.
 *
 * <p>It never advertises PUBLISHED (the connection stays hidden on the device, out of
 * {@code nodes()} and away from {@code global}), the atom cache, SPAWN, ALIAS or EXIT_PAYLOAD:
 * the negotiated set is the intersection of both sides' flags, so a peer can then not use them.
 */
public final class DistFlags {

  public static final long PUBLISHED = 0x1L;
  public static final long EXTENDED_REFERENCES = 0x4L;
  public static final long DIST_MONITOR = 0x8L;
  public static final long FUN_TAGS = 0x10L;
  public static final long DIST_MONITOR_NAME = 0x20L;
  public static final long NEW_FUN_TAGS = 0x80L;
  public static final long EXTENDED_PIDS_PORTS = 0x100L;
  public static final long EXPORT_PTR_TAG = 0x200L;
  public static final long BIT_BINARIES = 0x400L;
  public static final long NEW_FLOATS = 0x800L;
  public static final long DIST_HDR_ATOM_CACHE = 0x2000L;
  public static final long UTF8_ATOMS = 0x10000L;
  public static final long MAP_TAG = 0x20000L;
  public static final long BIG_CREATION = 0x40000L;
  public static final long SEND_SENDER = 0x80000L;
  public static final long FRAGMENTS = 0x800000L;
  public static final long HANDSHAKE_23 = 0x1000000L;
  public static final long UNLINK_ID = 0x2000000L;
  /** Bit 26: from OTP 25 a shorthand for all of {@link #MANDATORY_25}; OTP 27+ require it. */
  public static final long MANDATORY_25_DIGEST = 0x4000000L;
  public static final long NAME_ME = 1L << 33;
  public static final long V4_NC = 1L << 34;

  public static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | EXTENDED_PIDS_PORTS | NEW_FUN_TAGS
      | EXPORT_PTR_TAG | BIT_BINARIES | NEW_FLOATS | UTF8_ATOMS | MAP_TAG | BIG_CREATION | HANDSHAKE_23;
  public static final long MANDATORY_26 = V4_NC | UNLINK_ID;
  public static final long MANDATORY = MANDATORY_25 | MANDATORY_26;

  /** What the endpoint offers in its challenge. */
  public static final long ADVERTISED = MANDATORY | MANDATORY_25_DIGEST | FRAGMENTS | DIST_MONITOR
      | DIST_MONITOR_NAME | SEND_SENDER;

  private DistFlags() {}

  /** The peer's flags with the OTP 25 digest bit expanded into the flags it stands for. */
  public static long expand(long peerFlags) {
    return (peerFlags & MANDATORY_25_DIGEST) != 0 ? peerFlags | MANDATORY_25 : peerFlags;
  }

  /** The mandatory flags the peer lacks; zero when it may connect. */
  public static long missing(long peerFlags) {
    return MANDATORY & ~expand(peerFlags);
  }

  /** The flags both sides use, as each side computes it: the intersection. */
  public static long negotiated(long peerFlags) {
    return ADVERTISED & expand(peerFlags);
  }
}
