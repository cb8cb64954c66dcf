package dev.dala.ota.release.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs {@code release} verbs, standalone ({@code java -jar ota-release.jar fingerprint …}) or
 * for tests. {@link #errorHandler()} is what the main CLI installs to print release failures.
 */
public final class ReleaseCli {

  private ReleaseCli() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the release command group with the given streams and returns its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new ReleaseCommand());
    cli.setCommandName("ota release");
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(errorHandler());
    return cli.execute(args);
  }

  /** Prints a {@link ReleaseException} (and each of its details) as the user should see it. */
  public static CommandLine.IExecutionExceptionHandler errorHandler() {
    return (e, commandLine, parseResult) -> {
      if (e instanceof ReleaseException r) {
        PrintWriter err = commandLine.getErr();
        err.println("ota: " + r.getMessage());
        r.details().forEach(d -> err.println("  - " + d));
        err.flush();
        return r.exitCode();
      }
      throw e;
    };
  }
}
