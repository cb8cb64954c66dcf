package dev.dala.ota.signer.verify;

import java.util.Objects;

/** One problem a verification found: its code and what exactly is wrong. */
public record Problem(Issue issue, String detail) {

  public Problem {
    Objects.requireNonNull(issue, "issue");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return issue.code() + ": " + detail;
  }
}
