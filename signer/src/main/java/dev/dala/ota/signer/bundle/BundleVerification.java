package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.verify.Problem;
import java.util.List;
import java.util.Objects;

/** The outcome of checking a bundle: every problem, and its manifest once the signature held. */
public record BundleVerification(List<Problem> problems, Manifest manifest) {

  public BundleVerification {
    problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
  }

  public boolean isAccepted() {
    return problems.isEmpty();
  }

  public List<String> codes() {
    return problems.stream().map(p -> p.issue().code()).toList();
  }
}
