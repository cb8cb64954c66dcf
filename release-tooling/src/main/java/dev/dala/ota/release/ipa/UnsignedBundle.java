package dev.dala.ota.release.ipa;

import java.nio.file.Path;
import java.util.List;

/**
 * Leaves the bundle unsigned, for building on Linux: the IPA is complete except for the
 * signature, to be signed on a Mac (or by the Linux signer this seam is for).
 */
public final class UnsignedBundle implements BundleSigner {

  @Override
  public boolean signs() {
    return false;
  }

  @Override
  public String describe() {
    return "unsigned (sign it on macOS before uploading)";
  }

  @Override
  public void sign(Path app, List<Path> nested, Path entitlements) {
    // Nothing: the stale signature was already removed when the bundle was staged.
  }
}
