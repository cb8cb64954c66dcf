package dev.dala.ota.cli.keys;

import picocli.CommandLine.Command;

/** {@code ota keys}: the offline root and the online role keys it certifies. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create and manage the root of trust and the role keys it certifies.",
    subcommands = {InitRootCommand.class, IssueCommand.class, RotateRootCommand.class, RevokeCommand.class,
        ShowCommand.class})
public final class KeysCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
