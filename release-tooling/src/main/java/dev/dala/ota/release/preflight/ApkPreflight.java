package dev.dala.ota.release.preflight;

import com.android.apksig.ApkVerifier;
import com.android.apksig.apk.ApkUtils;
import dev.dala.ota.release.apk.ApkLayout;
import dev.dala.ota.release.config.AgentConfig;
import dev.dala.ota.release.config.AgentConfigException;
import dev.dala.ota.release.zip.ArchiveReader;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Checks a signed APK the way Play and the platform's installer would: which signature schemes
 * verify (v1 is required below minSdk 24), 4-byte alignment of stored entries and 16 KB
 * alignment of native libraries, and that the agent config pins a root and names the base.
 */
public final class ApkPreflight {

  /** What the caller expects to be pinned; either may be empty to skip that comparison. */
  public record Expected(Set<VerifyingKey> roots, String fingerprint) {}

  private final PreflightLimits limits;

  public ApkPreflight(PreflightLimits limits) {
    this.limits = limits;
  }

  public PreflightReport check(Path apk, Expected expected) {
    Findings findings = new Findings();
    Map<String, Object> facts = new LinkedHashMap<>();
    try (ArchiveReader zip = ArchiveReader.open(apk, limits.zip())) {
      zip.integrityProblems().forEach(p -> findings.error(Check.NOT_AN_APP, p, "corrupt entry"));
      ZipArchiveEntry manifest = zip.entry(ApkUtils.ANDROID_MANIFEST_ZIP_ENTRY_NAME);
      int minSdk = 1;
      if (manifest == null) {
        findings.error(Check.NOT_AN_APP, ApkUtils.ANDROID_MANIFEST_ZIP_ENTRY_NAME, "missing; this is not an APK");
      } else {
        try {
          minSdk = ApkUtils.getMinSdkVersionFromBinaryAndroidManifest(ByteBuffer.wrap(zip.read(manifest)));
          facts.put("min_sdk", minSdk);
        } catch (Exception e) {
          findings.error(Check.NOT_AN_APP, ApkUtils.ANDROID_MANIFEST_ZIP_ENTRY_NAME, "cannot be read: "
              + e.getMessage());
        }
      }
      if (!findings.has(Check.NOT_AN_APP)) {
        checkSignatures(apk, minSdk, findings, facts);
      }
      checkAlignment(zip, findings);
      checkConfig(zip, expected, findings, facts);
    }
    return new PreflightReport(apk.toString(), "apk", findings.toList(), facts);
  }

  private static void checkSignatures(Path apk, int minSdk, Findings findings, Map<String, Object> facts) {
    ApkVerifier.Result result;
    try {
      result = new ApkVerifier.Builder(apk.toFile()).setMinCheckedPlatformVersion(minSdk).build().verify();
    } catch (Exception e) {
      findings.error(Check.SIGNATURE, "APK Signing Block", "cannot be verified: " + e.getMessage());
      return;
    }
    List<String> schemes = new ArrayList<>();
    if (result.isVerifiedUsingV1Scheme()) {
      schemes.add("v1");
    }
    if (result.isVerifiedUsingV2Scheme()) {
      schemes.add("v2");
    }
    if (result.isVerifiedUsingV3Scheme()) {
      schemes.add("v3");
    }
    if (result.isVerifiedUsingV31Scheme()) {
      schemes.add("v3.1");
    }
    facts.put("schemes", schemes);
    for (var error : result.getAllErrors()) {
      findings.error(Check.SIGNATURE, "signature", error.toString());
    }
    if (!result.isVerifiedUsingV2Scheme()) {
      findings.error(Check.V2_SIGNATURE, "APK Signing Block", "no valid APK Signature Scheme v2 signature");
    }
    if (!result.isVerifiedUsingV3Scheme()) {
      findings.error(Check.V3_SIGNATURE, "APK Signing Block", "no valid APK Signature Scheme v3 signature, "
          + "which key rotation needs");
    }
    if (minSdk < 24 && !result.isVerifiedUsingV1Scheme()) {
      findings.error(Check.V1_SIGNATURE, "META-INF/", "no valid v1 (JAR) signature; minSdk " + minSdk
          + " devices older than Android 7 need one");
    }
  }

  private static void checkAlignment(ArchiveReader zip, Findings findings) {
    for (ZipArchiveEntry e : zip.entries()) {
      if (e.isDirectory()) {
        continue;
      }
      boolean library = ApkLayout.isNativeLibrary(e.getName());
      if (e.getMethod() != ZipArchiveEntry.STORED) {
        if (library) {
          findings.warning(Check.NATIVE_LIBRARY_COMPRESSED, e.getName(), "compressed: it must be extracted at "
              + "install, and with extractNativeLibs=false the install fails");
        }
        continue;
      }
      long offset = e.getDataOffset();
      int alignment = ApkLayout.alignmentFor(e.getName());
      if (offset % alignment != 0) {
        findings.error(library ? Check.NATIVE_LIBRARY_ALIGNMENT : Check.ENTRY_ALIGNMENT, e.getName(),
            "data at offset " + offset + " is not aligned to " + alignment + " bytes");
      }
    }
  }

  private static void checkConfig(ArchiveReader zip, Expected expected, Findings findings,
      Map<String, Object> facts) {
    String path = ApkLayout.CONFIG_ENTRY;
    ZipArchiveEntry entry = zip.entry(path);
    if (entry == null) {
      findings.error(Check.AGENT_CONFIG, path, "missing: the base pins no root and names no fingerprint");
      findings.error(Check.PINNED_ROOT, path, "no pinned root");
      findings.error(Check.BASE_FINGERPRINT, path, "no base fingerprint");
      return;
    }
    AgentConfig config;
    try {
      config = AgentConfig.decode(zip.read(entry));
    } catch (AgentConfigException e) {
      findings.error(Check.AGENT_CONFIG, path, "cannot be read: " + e.getMessage());
      return;
    }
    facts.put("base_fingerprint", config.baseFingerprint());
    facts.put("pinned_roots", config.rootKeys().stream().map(k -> k.keyId().hex()).toList());
    ConfigChecks.check(config, "android", path, findings);
    if (expected != null && !expected.roots().isEmpty()
        && !Set.copyOf(config.rootKeys()).containsAll(expected.roots())) {
      findings.error(Check.PINNED_ROOT, path, "does not pin every root given with --root");
    }
    if (expected != null && expected.fingerprint() != null
        && !expected.fingerprint().equals(config.baseFingerprint())) {
      findings.error(Check.BASE_FINGERPRINT, path, "names base " + config.baseFingerprint() + ", not "
          + expected.fingerprint());
    }
  }
}
