package dev.dala.ota.cli.bundle;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.cli.Json;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BuildProblem;
import dev.dala.ota.signer.bundle.BundleBuilder;
import dev.dala.ota.signer.bundle.BundleSpec;
import dev.dala.ota.signer.bundle.ModulePolicy;
import dev.dala.ota.signer.manifest.AgentVersion;
import dev.dala.ota.signer.manifest.ApplyMode;
import dev.dala.ota.signer.manifest.CompatibleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota bundle build}: a draft bundle from the ebin directories of a Mix build. */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Build an unsigned draft bundle from ebin directories (such as _build/prod/lib/my_app/ebin). "
        + "OTP, Elixir and agent modules are refused, all listed at once.")
public final class BuildCommand implements Callable<Integer> {

  @Option(names = "--app", required = true, description = "The app id.")
  String app;

  @Option(names = "--label", required = true, description = "A human label, such as v1.4.2.")
  String label;

  @Option(names = "--out", description = "Output file (default: APP-LABEL.bundle).")
  Path out;

  @Option(names = "--apply-mode", defaultValue = "hot", description = "hot or next_start (default: ${DEFAULT-VALUE}).")
  String applyMode;

  @Option(names = "--base", description = "A compatible base, PLATFORM:OTP_RELEASE:FINGERPRINT; repeatable. "
      + "The server fills these in when it publishes.")
  List<String> bases = new ArrayList<>();

  @Option(names = "--min-agent-version", defaultValue = "0.1.0", description = "Oldest agent that may apply it.")
  String minAgentVersion;

  @Option(names = "--keep-debug", description = "Keep debug info and docs chunks (they are stripped by default).")
  boolean keepDebug;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "DIR", description = "ebin directories.")
  List<Path> dirs;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ApplyMode mode = ApplyMode.fromAtom(applyMode);
    if (mode == null) {
      throw new CliException(ExitCode.USAGE, "--apply-mode must be hot or next_start");
    }
    if (!AgentVersion.isValid(minAgentVersion)) {
      throw new CliException(ExitCode.USAGE, "--min-agent-version must be MAJOR.MINOR.PATCH");
    }
    BundleSpec.Builder builder = BundleSpec.builder().app(app).label(label).ebinDirs(dirs).applyMode(mode)
        .minAgentVersion(minAgentVersion).strip(!keepDebug);
    try {
      bases.forEach(b -> builder.base(CompatibleBase.parse(b)));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    BundleBuilder.Result result = new BundleBuilder(new BeamReader(), ModulePolicy.standard()).build(builder.build());
    var printer = spec.commandLine().getOut();
    Map<String, Object> report = new LinkedHashMap<>();
    if (!result.isBuilt()) {
      report.put("built", false);
      report.put("problems", result.problems().stream().map(BuildCommand::problem).toList());
      if (json) {
        Json.print(printer, report);
      } else {
        spec.commandLine().getErr().println("ota: cannot build the bundle, " + result.problems().size() + " problem(s):");
        result.problems().forEach(p -> spec.commandLine().getErr().println("  " + p));
      }
      return ExitCode.PROBLEMS;
    }
    Path target = out != null ? out : Path.of(app + "-" + label + ".bundle");
    CliFiles.writeAtomically(target, result.bundle().toBytes(), false);
    report.put("built", true);
    report.put("file", target.toString());
    report.put("manifest", Describe.manifest(result.manifest()));
    if (json) {
      Json.print(printer, report);
    } else {
      printer.println("wrote " + target + ": " + result.manifest().modules().size() + " modules, unsigned draft");
    }
    return ExitCode.OK;
  }

  private static Map<String, Object> problem(BuildProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", p.code().name().toLowerCase(java.util.Locale.ROOT));
    m.put("file", p.file());
    m.put("detail", p.detail());
    return m;
  }
}
