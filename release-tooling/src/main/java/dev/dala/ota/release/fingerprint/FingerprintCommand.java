package dev.dala.ota.release.fingerprint;

import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.OutputFile;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.signer.beam.BeamReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota release fingerprint}: the base fingerprint as JSON, ready for {@code release register}. */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
    description = "Compute a base's fingerprint from its OTP tree, the app's compiled modules and the NIFs linked "
        + "statically into the native binary. Prints (or writes) JSON whose \"fingerprint\" is the stable id the "
        + "server's compatibility check uses.")
public final class FingerprintCommand implements Callable<Integer> {

  @Option(names = "--platform", required = true, description = "ios or android.")
  String platform;

  @Option(names = "--otp", required = true, paramLabel = "DIR", description = "The OTP tree the base embeds.")
  Path otpRoot;

  @Option(names = "--ebin", paramLabel = "DIR", description = "An ebin folder of the app (repeatable), such as "
      + "_build/prod/lib/my_app/ebin.")
  List<Path> ebins = new ArrayList<>();

  @Option(names = "--static-nif", paramLabel = "MODULE", description = "A module whose NIF is linked statically "
      + "into the native binary (repeatable).")
  List<String> staticNifs = new ArrayList<>();

  @Option(names = "--static-nifs", paramLabel = "FILE", description = "A file of such modules, one per line; "
      + "# starts a comment.")
  Path staticNifsFile;

  @Option(names = "--otp-release", description = "Override the OTP release the tree records (two digits).")
  String otpRelease;

  @Option(names = "--erts-version", description = "Override the ERTS version the tree records.")
  String ertsVersion;

  @Option(names = "--elixir-version", description = "Override the Elixir version the tree records.")
  String elixirVersion;

  @Option(names = "--keep-otp-app", paramLabel = "APP", description = "iOS: count an OTP application that "
      + "release ipa drops by default (repeatable; pass the same ones to release ipa).")
  List<String> keepApps = new ArrayList<>();

  @Option(names = "--drop-otp-app", paramLabel = "APP", description = "iOS: leave out another OTP application "
      + "(repeatable; pass the same ones to release ipa).")
  List<String> dropApps = new ArrayList<>();

  @Option(names = "--max-modules", defaultValue = "100000", description = "Refuse bases with more modules "
      + "(default: ${DEFAULT-VALUE}, the server's limit).")
  int maxModules;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here instead of printing it.")
  Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!platform.equals("ios") && !platform.equals("android")) {
      throw ReleaseException.usage("--platform must be ios or android");
    }
    if (maxModules < 1) {
      throw ReleaseException.usage("--max-modules must be positive");
    }
    FingerprintSpec.Builder builder = FingerprintSpec.builder().platform(platform).otpRoot(otpRoot).ebins(ebins)
        .staticNifs(staticNifs).otpRelease(otpRelease).ertsVersion(ertsVersion).elixirVersion(elixirVersion)
        .maxModules(maxModules);
    if (platform.equals("ios")) {
      // The IPA drops these applications, so the base the fingerprint describes has none of them.
      builder.excludedApps(dev.dala.ota.release.otp.OtpPruning.unusedApps(keepApps, dropApps));
    } else if (!keepApps.isEmpty() || !dropApps.isEmpty()) {
      throw ReleaseException.usage("--keep-otp-app and --drop-otp-app apply to iOS bases only");
    }
    if (staticNifsFile != null) {
      builder.staticNifs(readList(staticNifsFile));
    }
    Fingerprinter.Result result = new Fingerprinter(new BeamReader()).compute(builder.build());
    PrintWriter err = spec.commandLine().getErr();
    result.warnings().forEach(w -> err.println("ota: warning: " + w));
    String json = FingerprintJson.write(result.fingerprint());
    if (out == null) {
      spec.commandLine().getOut().print(json);
      spec.commandLine().getOut().flush();
    } else {
      OutputFile.write(out, json.getBytes(StandardCharsets.UTF_8));
      spec.commandLine().getOut().println(result.fingerprint().id());
    }
    return ExitCode.OK;
  }

  static List<String> readList(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(l -> l.replaceFirst("#.*", "").trim())
          .filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": " + e.getMessage());
    }
  }
}
