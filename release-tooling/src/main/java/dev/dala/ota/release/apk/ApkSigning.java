package dev.dala.ota.release.apk;

import com.android.apksig.ApkSigner;
import com.android.apksig.ApkVerifier;
import com.android.apksig.KeyConfig;
import com.android.apksig.SigningCertificateLineage;
import dev.dala.ota.release.cli.ReleaseException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs with Google's apksig: v2 and v3 always, v1 as well when the APK still installs on
 * Android 6 or older (minSdk below 24, the first release that checks v2), and, with a lineage,
 * v3.1 key rotation. The result is checked with apksig's verifier before it is kept.
 */
final class ApkSigning {

  /** The first platform that verifies APK Signature Scheme v2. */
  static final int V2_PLATFORM = 24;
  /** v3.1, the rotation block that targets newer platforms, starts here by default. */
  static final int DEFAULT_ROTATION_MIN_SDK = 33;
  static final String CREATED_BY = "dala-ota";

  /** A key rotation: the previous key, the lineage that certifies the current one, and from which SDK. */
  record Rotation(ApkSigningKey previous, SigningCertificateLineage lineage, int minSdk) {}

  /** Which schemes a signed APK verified with. */
  record Verified(boolean v1, boolean v2, boolean v3, boolean v31, List<String> warnings) {

    /** The schemes that verified, oldest first, named as apksigner names them. */
    List<String> schemes() {
      List<String> schemes = new ArrayList<>();
      if (v1) {
        schemes.add("v1");
      }
      if (v2) {
        schemes.add("v2");
      }
      if (v3) {
        schemes.add("v3");
      }
      if (v31) {
        schemes.add("v3.1");
      }
      return schemes;
    }
  }

  private ApkSigning() {}

  static void sign(File input, File output, ApkSigningKey key, Rotation rotation, int minSdk) {
    List<ApkSigner.SignerConfig> signers = new ArrayList<>();
    if (rotation != null) {
      signers.add(signerConfig(rotation.previous()));
    }
    signers.add(signerConfig(key));
    ApkSigner.Builder builder = new ApkSigner.Builder(signers)
        .setInputApk(input)
        .setOutputApk(output)
        .setMinSdkVersion(minSdk)
        .setV1SigningEnabled(minSdk < V2_PLATFORM)
        .setV2SigningEnabled(true)
        .setV3SigningEnabled(true)
        .setV4SigningEnabled(false)
        .setCreatedBy(CREATED_BY)
        .setOtherSignersSignaturesPreserved(false)
        .setAlignmentPreserved(false)
        .setLibraryPageAlignmentBytes(ApkLayout.LIBRARY_ALIGNMENT);
    if (rotation != null) {
      builder.setSigningCertificateLineage(rotation.lineage()).setMinSdkVersionForRotation(rotation.minSdk());
    }
    try {
      builder.build().sign();
    } catch (Exception e) {
      throw ReleaseException.badInput("apksig could not sign the APK: " + describe(e));
    }
  }

  /** Verifies with apksig; fails listing every error when it does not verify as it must. */
  static Verified verify(File apk, int minSdk, boolean rotated) {
    ApkVerifier.Result result;
    try {
      result = new ApkVerifier.Builder(apk).setMinCheckedPlatformVersion(minSdk).build().verify();
    } catch (Exception e) {
      throw ReleaseException.badInput("apksig could not verify the signed APK: " + describe(e));
    }
    List<String> problems = new ArrayList<>();
    result.getAllErrors().forEach(e -> problems.add(e.toString()));
    if (!result.isVerifiedUsingV2Scheme()) {
      problems.add("no valid v2 signature");
    }
    if (!result.isVerifiedUsingV3Scheme()) {
      problems.add("no valid v3 signature");
    }
    if (minSdk < V2_PLATFORM && !result.isVerifiedUsingV1Scheme()) {
      problems.add("no valid v1 signature, which minSdk " + minSdk + " needs");
    }
    if (rotated && !result.isVerifiedUsingV31Scheme()) {
      problems.add("no valid v3.1 signature for the rotated key");
    }
    if (!result.isVerified() || !problems.isEmpty()) {
      throw ReleaseException.problems("the signed APK does not verify", problems);
    }
    List<String> warnings = new ArrayList<>();
    result.getWarnings().forEach(w -> warnings.add(w.toString()));
    return new Verified(result.isVerifiedUsingV1Scheme(), result.isVerifiedUsingV2Scheme(),
        result.isVerifiedUsingV3Scheme(), result.isVerifiedUsingV31Scheme(), warnings);
  }

  private static ApkSigner.SignerConfig signerConfig(ApkSigningKey key) {
    // "CERT" names the v1 files META-INF/CERT.SF and CERT.RSA, as apksigner does by default.
    return new ApkSigner.SignerConfig.Builder("CERT", new KeyConfig.Jca(key.privateKey()), key.certificates()).build();
  }

  private static String describe(Exception e) {
    Throwable t = e;
    StringBuilder message = new StringBuilder(String.valueOf(t.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      message.append(": ").append(t.getMessage());
    }
    return message.toString();
  }
}
