package dev.dala.ota.signer.bundle;

import java.util.Objects;

/** One reason a directory of .beam files cannot become a bundle, tied to the file at fault. */
public record BuildProblem(Code code, String file, String detail) {

  /** Stable codes for what went wrong. */
  public enum Code {
    /** The file is not a loadable .beam; the detail names the BEAM problem. */
    INVALID_BEAM,
    /** An OTP, Elixir or agent module. */
    RESERVED_MODULE,
    /** The same module in two directories. */
    DUPLICATE_MODULE,
    /** No .beam files at all. */
    NO_MODULES,
    /** A directory that cannot be read. */
    UNREADABLE
  }

  public BuildProblem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return code.name().toLowerCase(java.util.Locale.ROOT) + ": " + file + ": " + detail;
  }
}
