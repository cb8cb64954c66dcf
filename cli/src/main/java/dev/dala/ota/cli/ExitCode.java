package dev.dala.ota.cli;

/** The CLI's exit codes, documented in docs/cli.md. */
public final class ExitCode {
  /** Done; for verify and inspect: no problems. */
  public static final int OK = 0;
  /** The command ran and found problems: a bundle that does not verify, modules that cannot be bundled. */
  public static final int PROBLEMS = 1;
  /** The command line is wrong. */
  public static final int USAGE = 2;
  /** An input could not be read or is not what it claims to be (missing file, bad PEM, not a bundle). */
  public static final int BAD_INPUT = 3;

  private ExitCode() {}
}
