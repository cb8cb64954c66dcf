package dev.dala.ota.signer.beam;

import java.util.Objects;

/** A .beam file that cannot be read, with the typed reason. */
public final class BeamFormatException extends Exception {

  private final BeamProblem problem;

  public BeamFormatException(BeamProblem problem, String detail) {
    super(problem + ": " + detail);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public BeamProblem problem() {
    return problem;
  }
}
