package dev.dala.ota.release.cli;

import java.util.List;

/**
 * A failure to report to the user, with the exit code it maps to and, where one input had
 * several things wrong, every one of them.
 */
public final class ReleaseException extends RuntimeException {

  private final int exitCode;
  private final List<String> details;

  public ReleaseException(int exitCode, String message) {
    this(exitCode, message, List.of());
  }

  public ReleaseException(int exitCode, String message, List<String> details) {
    super(message);
    this.exitCode = exitCode;
    this.details = List.copyOf(details);
  }

  public static ReleaseException badInput(String message) {
    return new ReleaseException(ExitCode.BAD_INPUT, message);
  }

  public static ReleaseException usage(String message) {
    return new ReleaseException(ExitCode.USAGE, message);
  }

  public static ReleaseException problems(String message, List<String> details) {
    return new ReleaseException(ExitCode.PROBLEMS, message, details);
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> details() {
    return details;
  }
}
