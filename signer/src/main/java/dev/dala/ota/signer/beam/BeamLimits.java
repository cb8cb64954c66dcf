package dev.dala.ota.signer.beam;

/**
 * Bounds on what the reader accepts.
 *
 * @param maxFileBytes the largest .beam accepted as given
 * @param maxInflatedBytes the largest size a gzip-compressed .beam may inflate to
 * @param maxChunks how many chunks one file may have
 */
public record BeamLimits(int maxFileBytes, int maxInflatedBytes, int maxChunks) {

  /** 64 MiB files and inflation, 256 chunks: far above anything a compiler writes. */
  public static final BeamLimits DEFAULT = new BeamLimits(64 << 20, 64 << 20, 256);

  public BeamLimits {
    if (maxFileBytes < 12 || maxInflatedBytes < 12 || maxChunks < 1) {
      throw new IllegalArgumentException("limits too small to read any .beam");
    }
  }
}
