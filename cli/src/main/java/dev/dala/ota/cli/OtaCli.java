package dev.dala.ota.cli;

import dev.dala.ota.cli.bundle.BundleCommand;
import dev.dala.ota.cli.keys.KeysCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ota} command: every verb of {@code ./ota} other than up, down and test. */
@Command(
    name = "ota",
    mixinStandardHelpOptions = true,
    versionProvider = OtaCli.Version.class,
    description = "Signed over-the-air updates of Elixir code for Dala apps.",
    subcommands = {KeysCommand.class, BundleCommand.class})
public final class OtaCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns its exit code; tests call this. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new OtaCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException c) {
        commandLine.getErr().println("ota: " + c.getMessage());
        return c.exitCode();
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the project version recorded in the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OtaCli.class.getPackage().getImplementationVersion();
      return new String[] {"ota " + (version == null ? "(development build)" : version)};
    }
  }
}
