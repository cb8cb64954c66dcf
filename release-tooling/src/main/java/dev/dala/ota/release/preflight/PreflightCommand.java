package dev.dala.ota.release.preflight;

import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.fingerprint.FingerprintJson;
import dev.dala.ota.release.zip.ArchiveReader;
import dev.dala.ota.signer.keys.KeyFormatException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota release preflight FILE}: every store problem in an IPA or APK, at once. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
    description = "Check an .ipa or .apk as the stores would and report every problem, with App Store codes "
        + "where there are some. Exits 1 when there is an error.")
public final class PreflightCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "An .ipa or .apk.")
  Path file;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Option(names = "--otp-budget", defaultValue = "52428800", description = "The most bytes otp/ may hold in an "
      + "IPA (default: ${DEFAULT-VALUE}, 50 MiB).")
  long otpBudget;

  @Option(names = "--root", paramLabel = "PEM", description = "APK: a root public key that must be pinned "
      + "(repeatable).")
  List<Path> roots = new ArrayList<>();

  @Option(names = "--fingerprint", paramLabel = "FILE", description = "APK: the base fingerprint that must be "
      + "embedded.")
  Path fingerprint;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (otpBudget < 1) {
      throw ReleaseException.usage("--otp-budget must be positive");
    }
    PreflightLimits limits = PreflightLimits.DEFAULT.withOtpBudget(otpBudget);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    PreflightReport report;
    if (name.endsWith(".ipa")) {
      report = preflightIpa(limits);
    } else if (name.endsWith(".apk")) {
      report = new ApkPreflight(limits).check(file, expected());
    } else {
      throw ReleaseException.usage(file + ": preflight checks .ipa and .apk files");
    }
    if (json) {
      JsonOutput.print(spec.commandLine().getOut(), report.toMap());
    } else {
      report.printText(spec.commandLine().getOut());
    }
    spec.commandLine().getOut().flush();
    return report.passed() ? ExitCode.OK : ExitCode.PROBLEMS;
  }

  private PreflightReport preflightIpa(PreflightLimits limits) {
    try (ArchiveReader zip = ArchiveReader.open(file, limits.zip())) {
      List<String> corrupt = zip.integrityProblems();
      if (!corrupt.isEmpty()) {
        throw new ReleaseException(ExitCode.BAD_INPUT, file + ": corrupt entries", corrupt);
      }
      ZipAppSource app = ZipAppSource.of(zip);
      if (app == null) {
        throw ReleaseException.badInput(file + ": not an IPA (it must hold exactly one Payload/NAME.app)");
      }
      return new IpaPreflight(limits, PrivateSelectors.standard()).check(app, file.toString(), true);
    }
  }

  private ApkPreflight.Expected expected() {
    Set<VerifyingKey> keys = new HashSet<>();
    for (Path root : roots) {
      try {
        keys.add(PemKeys.readVerifyingKey(Files.readString(root, StandardCharsets.UTF_8)));
      } catch (IOException | KeyFormatException e) {
        throw ReleaseException.badInput(root + ": " + e.getMessage());
      }
    }
    String id = fingerprint == null ? null : FingerprintJson.read(fingerprint).id();
    return new ApkPreflight.Expected(keys, id);
  }
}
