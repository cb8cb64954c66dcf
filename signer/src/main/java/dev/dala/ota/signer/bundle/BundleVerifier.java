package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.manifest.ManifestVerification;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.verify.Issue;
import dev.dala.ota.signer.verify.Problems;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a bundle the way a device will: the manifest first, then every module's size and
 * SHA-256 against it, so no module from another release can be mixed in.
 */
public final class BundleVerifier {

  private final ManifestVerifier manifests;

  public BundleVerifier(ManifestVerifier manifests) {
    this.manifests = Objects.requireNonNull(manifests, "manifests");
  }

  /**
   * @param partial when true the bundle may omit modules the device already has (a delta);
   *     every module it does carry must still match
   */
  public BundleVerification verify(BundleFile bundle, DeviceState device, SignedDocument revocations, boolean partial) {
    ManifestVerification verdict = manifests.verify(bundle.envelope(), device, revocations);
    Problems problems = new Problems().addAll(verdict.problems());
    Manifest manifest = verdict.manifest();
    if (manifest == null) {
      return new BundleVerification(problems.toList(), null);
    }
    Set<String> listed = new HashSet<>();
    for (ManifestModule entry : manifest.modules()) {
      listed.add(entry.name());
      BundleModule module = bundle.module(entry.name());
      if (module == null) {
        if (!partial) {
          problems.add(Issue.MODULE_MISSING, entry.name() + " is in the manifest but not in the bundle");
        }
        continue;
      }
      if (module.bytes().length != entry.size()) {
        problems.add(Issue.MODULE_SIZE_MISMATCH, entry.name() + " has " + module.bytes().length
            + " bytes, the manifest says " + entry.size());
      } else if (!MessageDigest.isEqual(module.sha256(), entry.sha256())) {
        problems.add(Issue.MODULE_HASH_MISMATCH, entry.name() + " does not match its SHA-256 in the manifest");
      }
    }
    for (BundleModule module : bundle.modules()) {
      if (!listed.contains(module.name())) {
        problems.add(Issue.MODULE_UNEXPECTED, module.name() + " is in the bundle but not in the manifest");
      }
    }
    return new BundleVerification(problems.toList(), manifest);
  }
}
