package dev.dala.ota.release.zip;

/**
 * Caps on what is read from an APK or IPA, checked before anything is extracted, so a hostile
 * or broken archive (a zip bomb, a million entries) fails fast with a clear message.
 *
 * @param maxEntries the most entries an archive may hold
 * @param maxEntryBytes the largest uncompressed size of one entry
 * @param maxTotalBytes the largest uncompressed size of all entries together
 */
public record ZipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

  /** Generous for real apps (Play allows 4 GB in total, with far fewer entries). */
  public static final ZipLimits DEFAULT = new ZipLimits(200_000, 2L << 30, 8L << 30);

  public ZipLimits {
    if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1) {
      throw new IllegalArgumentException("zip limits must be positive");
    }
  }
}
