package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.trust.SignedDocument;

/**
 * Hard caps on reading a bundle file, checked before the bytes they describe are read.
 *
 * @param maxEnvelopeBytes the largest signed manifest envelope
 * @param maxModules how many modules one bundle may carry
 * @param maxModuleBytes the largest single module
 * @param maxTotalBytes the largest bundle file as a whole
 */
public record BundleLimits(int maxEnvelopeBytes, int maxModules, int maxModuleBytes, long maxTotalBytes) {

  public static final BundleLimits DEFAULT =
      new BundleLimits(SignedDocument.MAX_BYTES, Manifest.MAX_MODULES, 32 << 20, 256L << 20);

  public BundleLimits {
    if (maxEnvelopeBytes < 1 || maxModules < 1 || maxModuleBytes < 1 || maxTotalBytes < 1) {
      throw new IllegalArgumentException("bundle limits must be positive");
    }
  }
}
