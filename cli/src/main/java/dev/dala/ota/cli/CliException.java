package dev.dala.ota.cli;

/** A failure to report to the user as one line, with the exit code it maps to. */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(ExitCode.BAD_INPUT, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
