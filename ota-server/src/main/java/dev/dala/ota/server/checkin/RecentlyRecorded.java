package dev.dala.ota.server.checkin;

/**
 * Remembers what this pod has recently written, so that a device checking in again with the
 * same state is not written again until {@code resolution} has passed. Entries are a 64-bit
 * key and a 64-bit value (state hash and time) in open-addressed arrays, split into stripes
 * with their own locks; a stripe that fills up is emptied, which only causes extra writes.
 * It holds two million devices in about 32 MiB, with no allocation per check-in.
 */
final class RecentlyRecorded {

  private static final int STRIPES = 64;
  private static final int SLOTS = 1 << 15;

  private final long[][] keys = new long[STRIPES][SLOTS];
  private final long[][] values = new long[STRIPES][SLOTS];
  private final int[] used = new int[STRIPES];
  private final long resolutionSeconds;

  RecentlyRecorded(long resolutionSeconds) {
    this.resolutionSeconds = resolutionSeconds;
  }

  /**
   * True when {@code key} was recorded with {@code state} less than the resolution ago; otherwise
   * records it as of {@code nowSeconds} and returns false.
   */
  boolean seenRecently(long key, int state, long nowSeconds) {
    long k = key == 0 ? 1 : key;
    int stripe = (int) (mix(k) >>> 58);
    long[] ks = keys[stripe];
    long[] vs = values[stripe];
    synchronized (ks) {
      int slot = (int) mix(k) & (SLOTS - 1);
      while (ks[slot] != 0 && ks[slot] != k) {
        slot = (slot + 1) & (SLOTS - 1);
      }
      if (ks[slot] == k) {
        long v = vs[slot];
        if ((int) (v >>> 32) == state && nowSeconds - (v & 0xFFFF_FFFFL) < resolutionSeconds) {
          return true;
        }
      } else {
        if (used[stripe] >= SLOTS * 3 / 4) {
          java.util.Arrays.fill(ks, 0);
          used[stripe] = 0;
          slot = (int) mix(k) & (SLOTS - 1);
        }
        ks[slot] = k;
        used[stripe]++;
      }
      vs[slot] = ((long) state << 32) | (nowSeconds & 0xFFFF_FFFFL);
      return false;
    }
  }

  /** A 64-bit key from text and a UUID: FNV-1a over the characters, mixed with the UUID. */
  static long key(java.util.UUID scope, String text, long salt) {
    long h = 0xcbf29ce484222325L ^ scope.getMostSignificantBits() ^ (scope.getLeastSignificantBits() * 31) ^ salt;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93fe53e63b9L;
    return z ^ (z >>> 33);
  }
}
