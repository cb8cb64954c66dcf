package dev.dala.ota.release.fingerprint;

import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.signer.base.BaseFingerprint;
import dev.dala.ota.signer.beam.BeamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Computes a base's fingerprint with signer's {@link BaseFingerprint}, the very record the
 * server uses for its compatibility check, so the id printed here is the id the server stores.
 */
public final class Fingerprinter {

  /** A fingerprint and what looked wrong without being fatal. */
  public record Result(BaseFingerprint fingerprint, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_.@]{1,255}");
  /** The server refuses more. */
  static final int MAX_STATIC_NIFS = 1000;

  private final BeamReader reader;

  public Fingerprinter(BeamReader reader) {
    this.reader = reader;
  }

  /** The fingerprint, or a {@link ReleaseException} that lists every problem at once. */
  public Result compute(FingerprintSpec spec) {
    List<String> problems = new ArrayList<>();
    OtpTree tree = OtpTree.read(spec.otpRoot());
    String otp = spec.otpRelease() != null ? spec.otpRelease() : tree.otpRelease();
    String erts = spec.ertsVersion() != null ? spec.ertsVersion() : tree.ertsVersion();
    String elixir = spec.elixirVersion() != null ? spec.elixirVersion()
        : tree.elixirVersion() != null ? tree.elixirVersion() : "";
    tree.problems().stream()
        .filter(p -> !(p.contains("--otp-release") && spec.otpRelease() != null))
        .filter(p -> !(p.contains("--erts-version") && spec.ertsVersion() != null))
        .filter(p -> !(p.contains("--elixir-version") && spec.elixirVersion() != null))
        .forEach(problems::add);

    BaseModules modules = new BaseModules(reader, spec.maxModules());
    modules.addOtpTree(spec.otpRoot(), spec.excludedApps());
    spec.ebins().forEach(modules::addEbin);
    problems.addAll(modules.problems());

    List<String> warnings = new ArrayList<>();
    if (spec.staticNifs().size() > MAX_STATIC_NIFS) {
      problems.add("more than " + MAX_STATIC_NIFS + " static NIFs; the server accepts at most that many");
    }
    for (String nif : spec.staticNifs()) {
      if (!MODULE_NAME.matcher(nif).matches()) {
        problems.add("static NIF \"" + nif + "\" is not a module name");
      } else if (!modules.contains(nif)) {
        warnings.add("static NIF " + nif + " is not a module of this base; only bundles that add it can use it");
      }
    }
    TreeSet<String> unlinked = modules.nifModules();
    unlinked.removeAll(spec.staticNifs());
    if (!unlinked.isEmpty()) {
      warnings.add("these modules load a NIF that is not listed as static, so the server will refuse bundles"
          + " that update them: " + String.join(", ", unlinked));
    }
    if (otp == null || erts == null) {
      throw ReleaseException.problems("cannot fingerprint the base in " + spec.otpRoot(), problems);
    }
    BaseFingerprint fingerprint = new BaseFingerprint(spec.platform(), otp, erts, elixir,
        new TreeSet<>(spec.staticNifs()), new TreeMap<>(modules.md5s()));
    problems.addAll(fingerprint.problems());
    if (!problems.isEmpty()) {
      throw ReleaseException.problems("cannot fingerprint the base in " + spec.otpRoot(), problems);
    }
    return new Result(fingerprint, warnings);
  }
}
