package dev.dala.ota.release.cli;

/** The release verbs' exit codes; the same meanings as the rest of the ota CLI (docs/cli.md). */
public final class ExitCode {
  /** Done; for preflight: no errors. */
  public static final int OK = 0;
  /** The command ran and found problems: preflight errors, a server that refused, a bundle that fails its checks. */
  public static final int PROBLEMS = 1;
  /** The command line is wrong. */
  public static final int USAGE = 2;
  /** An input could not be read or is not what it claims to be: a corrupt zip or keystore, a wrong password. */
  public static final int BAD_INPUT = 3;
  /** A server or tool the command needs could not be reached or failed. */
  public static final int UNAVAILABLE = 4;

  private ExitCode() {}
}
