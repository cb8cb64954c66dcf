package dev.dala.ota.server.device;

/**
 * Per-key request counts for the current minute, in fixed-size primitive arrays: no allocation
 * per request, and about 24 MiB for two million keys, however many distinct devices call. Keys
 * are 64-bit hashes in open-addressed stripes with their own locks; each stripe starts over when
 * the minute changes, and a stripe that fills up starts over early, which can only be lenient.
 */
final class MinuteCounts {

  private static final int STRIPES = 64;
  private static final int SLOTS = 1 << 15;

  private final long[][] keys = new long[STRIPES][SLOTS];
  private final int[][] counts = new int[STRIPES][SLOTS];
  private final long[] minuteOf = new long[STRIPES];
  private final int[] used = new int[STRIPES];

  /** Counts one request for {@code key} in {@code minute}; returns the minute's count so far. */
  int increment(long key, long minute) {
    long k = key == 0 ? 1 : key;
    int stripe = (int) (k >>> 58);
    long[] ks = keys[stripe];
    int[] cs = counts[stripe];
    synchronized (ks) {
      if (minuteOf[stripe] != minute || used[stripe] >= SLOTS * 3 / 4) {
        java.util.Arrays.fill(ks, 0);
        minuteOf[stripe] = minute;
        used[stripe] = 0;
      }
      int slot = (int) k & (SLOTS - 1);
      while (ks[slot] != 0 && ks[slot] != k) {
        slot = (slot + 1) & (SLOTS - 1);
      }
      if (ks[slot] == 0) {
        ks[slot] = k;
        cs[slot] = 0;
        used[stripe]++;
      }
      return ++cs[slot];
    }
  }

  /** A well-spread 64-bit hash of {@code text}. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb93fe53e63b9L;
    return h ^ (h >>> 33);
  }
}
