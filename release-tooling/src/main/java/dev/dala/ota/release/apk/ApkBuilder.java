package dev.dala.ota.release.apk;

import com.android.apksig.SigningCertificateLineage;
import com.android.apksig.apk.ApkUtils;
import com.android.apksig.apk.MinSdkVersionException;
import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.OutputFile;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.cli.WorkDir;
import dev.dala.ota.release.otp.OtpPruning;
import dev.dala.ota.release.preflight.ApkPreflight;
import dev.dala.ota.release.preflight.Finding;
import dev.dala.ota.release.preflight.PreflightLimits;
import dev.dala.ota.release.preflight.PreflightReport;
import dev.dala.ota.release.zip.ArchiveReader;
import dev.dala.ota.release.zip.ZipLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Builds a signed base APK: checks the input and the assets (all problems at once), embeds the
 * assets with alignment, signs with apksig, verifies, runs preflight on the result, and only then
 * moves the APK into place.
 */
public final class ApkBuilder {

  /** What was built. */
  public record Result(Path apk, int minSdk, ApkSigning.Verified signatures, int assets) {}

  private final ZipLimits limits;

  public ApkBuilder(ZipLimits limits) {
    this.limits = limits;
  }

  public Result build(ApkSpec spec) {
    try (ArchiveReader input = ArchiveReader.open(spec.unsignedApk(), limits);
        WorkDir work = WorkDir.create("dala-apk-");
        OutputFile output = OutputFile.create(spec.output())) {
      int minSdk = minSdk(input);
      List<String> problems = new ArrayList<>(input.integrityProblems().stream()
          .map(p -> spec.unsignedApk() + ": " + p).toList());
      AssetTree assets = assets(spec);
      problems.addAll(assets.problems());
      for (ZipArchiveEntry e : input.entries()) {
        if (assets.contains(e.getName())) {
          problems.add(spec.unsignedApk() + " already has " + e.getName() + ", which the assets would replace");
        }
      }
      if (!problems.isEmpty()) {
        throw new ReleaseException(ExitCode.BAD_INPUT, "cannot build the APK", problems);
      }
      Path aligned = work.path().resolve("aligned.apk");
      try {
        ApkAssembler.write(input, assets.assets(), aligned);
      } catch (IOException e) {
        throw ReleaseException.badInput("cannot write the APK: " + e.getMessage());
      }
      ApkSigning.Rotation rotation = rotation(spec);
      ApkSigning.sign(aligned.toFile(), output.temp().toFile(), spec.key(), rotation, minSdk);
      ApkSigning.Verified verified = ApkSigning.verify(output.temp().toFile(), minSdk, rotation != null);
      PreflightReport report = new ApkPreflight(PreflightLimits.DEFAULT.withZip(limits)).check(output.temp(),
          new ApkPreflight.Expected(Set.copyOf(spec.config().rootKeys()), spec.config().baseFingerprint()));
      if (!report.passed()) {
        throw ReleaseException.problems("the signed APK fails preflight", report.findings().stream()
            .filter(Finding::isError).map(Finding::toString).toList());
      }
      output.commit();
      return new Result(spec.output(), minSdk, verified, assets.assets().size());
    }
  }

  private static AssetTree assets(ApkSpec spec) {
    AssetTree assets = new AssetTree(spec.maxAssetBytes());
    assets.addTree(spec.otpRoot(), ApkLayout.OTP_PREFIX);
    for (Path ebin : spec.ebins()) {
      assets.addEbin(ebin, ApkLayout.OTP_PREFIX + "lib/" + OtpPruning.appOfEbin(ebin) + "/ebin/");
    }
    assets.addBytes(ApkLayout.CONFIG_ENTRY, spec.config().encode());
    return assets;
  }

  private static int minSdk(ArchiveReader input) {
    ZipArchiveEntry manifest = input.entry(ApkUtils.ANDROID_MANIFEST_ZIP_ENTRY_NAME);
    if (manifest == null) {
      throw ReleaseException.badInput(input.file() + ": not an APK (no AndroidManifest.xml)");
    }
    try {
      return ApkUtils.getMinSdkVersionFromBinaryAndroidManifest(ByteBuffer.wrap(input.read(manifest)));
    } catch (MinSdkVersionException | RuntimeException e) {
      throw ReleaseException.badInput(input.file() + ": not an APK (AndroidManifest.xml cannot be read: "
          + e.getMessage() + ")");
    }
  }

  private static ApkSigning.Rotation rotation(ApkSpec spec) {
    if (spec.lineage() == null) {
      return null;
    }
    SigningCertificateLineage lineage;
    try {
      lineage = SigningCertificateLineage.readFromFile(spec.lineage().toFile());
    } catch (IOException | RuntimeException e) {
      throw ReleaseException.badInput("lineage " + spec.lineage() + ": not a signing certificate lineage: "
          + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (!lineage.isCertificateInLineage(spec.previousKey().certificate())) {
      problems.add("the previous key's certificate is not in the lineage");
    }
    if (!lineage.isCertificateLatestInLineage(spec.key().certificate())) {
      problems.add("the signing key's certificate is not the newest in the lineage");
    }
    if (!problems.isEmpty()) {
      throw new ReleaseException(ExitCode.BAD_INPUT, "lineage " + spec.lineage() + " does not match the keys",
          problems);
    }
    return new ApkSigning.Rotation(spec.previousKey(), lineage, spec.rotationMinSdk());
  }
}
