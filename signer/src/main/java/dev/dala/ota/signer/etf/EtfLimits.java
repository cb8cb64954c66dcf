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
 */
public record EtfLimits(
    int maxDepth, int maxTerms, int maxBinaryBytes, int maxBignumBytes, int allocationFactor) {

  /** Constant allowance on top of the per-byte allocation budget. */
  public static final long ALLOCATION_SLACK = 4096;

  /** Defaults that suit signed documents and distribution messages alike. */
  public static final EtfLimits DEFAULT = new EtfLimits(128, 4_000_000, 256 * 1024 * 1024, 1024, 48);

  public EtfLimits {
    if (maxDepth < 1 || maxTerms < 1 || maxBinaryBytes < 0 || maxBignumBytes < 1 || allocationFactor < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public EtfLimits withMaxDepth(int value) {
    return new EtfLimits(value, maxTerms, maxBinaryBytes, maxBignumBytes, allocationFactor);
  }

  public EtfLimits withMaxTerms(int value) {
    return new EtfLimits(maxDepth, value, maxBinaryBytes, maxBignumBytes, allocationFactor);
  }

  public EtfLimits withMaxBinaryBytes(int value) {
    return new EtfLimits(maxDepth, maxTerms, value, maxBignumBytes, allocationFactor);
  }

  public EtfLimits withMaxBignumBytes(int value) {
    return new EtfLimits(maxDepth, maxTerms, maxBinaryBytes, value, allocationFactor);
  }
}
