package dev.dala.ota.signer.etf;

/**
 * Bounds that the decoder enforces before it allocates anything.
 *
 * @param maxDepth how deeply terms may nest
 * @param maxTerms how many terms (every element counts) one input may hold
 * @param maxBinaryBytes the largest binary or bitstring
 * @param maxBignumBytes the largest integer magnitude, in bytes
 * @param allocationFactor decoding may allocate at most this many bytes per input byte, plus
 *     {@link #ALLOCATION_SLACK}; a crafted input therefore cannot make the decoder allocate
 *     more than a fixed multiple of its own size
 * @param maxMapEntries the most entries one map may hold. Term hash codes are predictable, so
 *     a peer can make every key of a map collide; this bounds the quadratic cost of that
 */
public record EtfLimits(
    int maxDepth, int maxTerms, int maxBinaryBytes, int maxBignumBytes, int allocationFactor, int maxMapEntries) {

  /** Constant allowance on top of the per-byte allocation budget. */
  public static final long ALLOCATION_SLACK = 4096;

  /** Defaults that suit signed documents and distribution messages alike. */
  private static final int DEFAULT_MAX_MAP_ENTRIES = 65_536;

  public static final EtfLimits DEFAULT =
      new EtfLimits(128, 4_000_000, 256 * 1024 * 1024, 1024, 48, DEFAULT_MAX_MAP_ENTRIES);

  public EtfLimits {
    if (maxDepth < 1 || maxTerms < 1 || maxBinaryBytes < 0 || maxBignumBytes < 1 || allocationFactor < 1
        || maxMapEntries < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** Limits with the default bound on map entries. */
  public EtfLimits(int maxDepth, int maxTerms, int maxBinaryBytes, int maxBignumBytes, int allocationFactor) {
    this(maxDepth, maxTerms, maxBinaryBytes, maxBignumBytes, allocationFactor, DEFAULT_MAX_MAP_ENTRIES);
  }

  public EtfLimits withMaxDepth(int value) {
    return new EtfLimits(value, maxTerms, maxBinaryBytes, maxBignumBytes, allocationFactor, maxMapEntries);
  }

  public EtfLimits withMaxTerms(int value) {
    return new EtfLimits(maxDepth, value, maxBinaryBytes, maxBignumBytes, allocationFactor, maxMapEntries);
  }

  public EtfLimits withMaxBinaryBytes(int value) {
    return new EtfLimits(maxDepth, maxTerms, value, maxBignumBytes, allocationFactor, maxMapEntries);
  }

  public EtfLimits withMaxBignumBytes(int value) {
    return new EtfLimits(maxDepth, maxTerms, maxBinaryBytes, value, allocationFactor, maxMapEntries);
  }

  public EtfLimits withMaxMapEntries(int value) {
    return new EtfLimits(maxDepth, maxTerms, maxBinaryBytes, maxBignumBytes, allocationFactor, value);
  }
}
