package dev.dala.ota.cli.bundle;

import picocli.CommandLine.Command;

/** {@code ota bundle}: build, inspect, sign and verify bundles of BEAM modules. */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    description = "Build, inspect, sign and verify bundles.",
    subcommands = {BuildCommand.class, InspectCommand.class, VerifyCommand.class, SignCommand.class})
public final class BundleCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
