package dev.dala.ota.cli.bundle;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.cli.Json;
import dev.dala.ota.cli.keys.KeyDirectory;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleFormatException;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.bundle.BundleVerification;
import dev.dala.ota.signer.bundle.BundleVerifier;
import dev.dala.ota.signer.keys.KeyFormatException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.VerifyingKey;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustVerifier;
import dev.dala.ota.signer.verify.Problem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota bundle verify}: checks a bundle as a device that pins the given roots would. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a bundle as a device would: the signature chain up to a pinned root, revocations, "
        + "expiry, sequence, base, and every module's size and SHA-256. Lists every problem found.")
public final class VerifyCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE")
  Path file;

  @Option(names = "--root", required = true, description = "A pinned root public key (PEM); repeatable.")
  List<Path> roots;

  @Option(names = "--revocations", description = "A root-signed revocation list (revocations.etf).")
  Path revocations;

  @Option(names = "--current-sequence", defaultValue = "0", description = "The sequence the device runs now.")
  long currentSequence;

  @Option(names = "--base", description = "The device's base, PLATFORM:OTP_RELEASE:FINGERPRINT.")
  String base;

  @Option(names = "--agent-version", description = "The device's agent version.")
  String agentVersion;

  @Option(names = "--app", description = "The device's app id.")
  String app;

  @Option(names = "--at", description = "Verify as of this instant (ISO-8601) instead of now.")
  String at;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Set<VerifyingKey> pinned = new HashSet<>();
    for (Path root : roots) {
      try {
        pinned.add(PemKeys.readVerifyingKey(CliFiles.readText(root)));
      } catch (KeyFormatException e) {
        throw CliException.badInput(root + ": " + e.getMessage());
      }
    }
    BundleFile bundle;
    try {
      bundle = BundleFile.read(CliFiles.read(file), BundleLimits.DEFAULT);
    } catch (BundleFormatException e) {
      throw CliException.badInput(file + ": " + e.getMessage());
    }
    SignedDocument revocationList = revocations == null ? null : KeyDirectory.readDocument(revocations);
    DeviceState device;
    try {
      device = new DeviceState(app, currentSequence, base == null ? null : CompatibleBase.parse(base), agentVersion,
          at == null ? Instant.now() : Instant.parse(at), DeviceState.DEFAULT_CLOCK_SKEW);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    BundleVerifier verifier = new BundleVerifier(new ManifestVerifier(new TrustVerifier(new TrustAnchors(pinned))));
    BundleVerification result = verifier.verify(bundle, device, revocationList, false);
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("file", file.toString());
      report.put("accepted", result.isAccepted());
      report.put("problems", result.problems().stream().map(VerifyCommand::problem).toList());
      report.put("manifest", result.manifest() == null ? null : Describe.manifest(result.manifest()));
      Json.print(out, report);
    } else if (result.isAccepted()) {
      out.println(file + ": verified, " + result.manifest().app() + " sequence " + result.manifest().sequence()
          + " (" + result.manifest().label() + "), " + result.manifest().modules().size() + " modules");
    } else {
      out.println(file + ": NOT verified, " + result.problems().size() + " problem(s):");
      result.problems().forEach(p -> out.println("  " + p));
    }
    return result.isAccepted() ? ExitCode.OK : ExitCode.PROBLEMS;
  }

  private static Map<String, Object> problem(Problem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", p.issue().code());
    m.put("detail", p.detail());
    return m;
  }
}
