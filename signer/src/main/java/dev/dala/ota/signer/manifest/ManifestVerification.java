package dev.dala.ota.signer.manifest;

import dev.dala.ota.signer.trust.DocumentVerification;
import dev.dala.ota.signer.verify.Problem;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a signed manifest for one device: every problem found, and the
 * manifest itself when its signature held (even if it is, say, too old for this device).
 */
public record ManifestVerification(List<Problem> problems, Manifest manifest, DocumentVerification trust) {

  public ManifestVerification {
    problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
  }

  public boolean isAccepted() {
    return problems.isEmpty();
  }
}
