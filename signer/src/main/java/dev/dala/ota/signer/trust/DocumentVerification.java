package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.verify.Problem;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a signed document against pinned roots: every problem found, and,
 * when there are none, the root and certificate that vouch for it.
 */
public record DocumentVerification(
    List<Problem> problems, SignedDocument document, RootDocument root, RoleCertificate certificate) {

  public DocumentVerification {
    problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
  }

  public boolean isVerified() {
    return problems.isEmpty();
  }

  /** The payload bytes, which may be decoded only now that their signature holds. */
  public byte[] verifiedPayload() {
    if (!isVerified()) {
      throw new IllegalStateException("document did not verify: " + problems);
    }
    return document.payload();
  }
}
