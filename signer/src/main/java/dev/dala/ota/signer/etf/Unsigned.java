package dev.dala.ota.signer.etf;

/** Range checks for the unsigned 32-bit fields of pids, ports and references. */
final class Unsigned {
  static final long U32_MAX = 0xFFFF_FFFFL;

  private Unsigned() {}

  static void requireU32(long value, String name) {
    if (value < 0 || value > U32_MAX) {
      throw new IllegalArgumentException(name + " must be an unsigned 32-bit value");
    }
  }
}
