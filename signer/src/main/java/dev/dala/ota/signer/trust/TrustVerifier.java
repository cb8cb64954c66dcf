package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.VerifyingKey;
import dev.dala.ota.signer.verify.Issue;
import dev.dala.ota.signer.verify.Problems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a signed document against pinned roots. It verifies bytes before it decodes them:
 * a root document is read only once its signatures hold, a certificate only once the root's
 * signature over it holds. Independent problems (an expired and revoked key that also signed
 * wrongly, say) are all reported.
 */
public final class TrustVerifier {

  private final TrustAnchors anchors;

  public TrustVerifier(TrustAnchors anchors) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
  }

  /** The outcome of walking root documents from a pinned one. */
  public record RootResolution(RootDocument root, Problems problems) {}

  /**
   * Walks {@code roots} (ascending versions): trust starts at the document of a pinned key that
   * signs itself, and each later version must be the next number and carry valid signatures by
   * the previous root key and by its own key. Documents before the pinned one are history.
   */
  public RootResolution resolveRoot(List<SignedDocument> roots) {
    Problems problems = new Problems();
    RootDocument current = null;
    for (SignedDocument document : roots) {
      if (document.kind() != DocumentKind.ROOT) {
        problems.add(Issue.ROOT_CHAIN_BROKEN, "chain holds a " + document.kind().atom() + " among its roots");
        return new RootResolution(null, problems);
      }
      if (current == null) {
        current = pinnedRoot(document);
        continue;
      }
      // Only a document the trusted root signed is read at all.
      if (!signedBy(document, current.key())) {
        problems.add(Issue.ROOT_CHAIN_BROKEN, "a root after version " + current.version() + " is not signed by it");
        return new RootResolution(null, problems);
      }
      RootDocument next;
      try {
        next = RootDocument.decode(document.payloadView());
      } catch (DocumentFormatException e) {
        problems.add(Issue.ROOT_CHAIN_BROKEN, e.getMessage());
        return new RootResolution(null, problems);
      }
      if (next.version() != current.version() + 1) {
        problems.add(Issue.ROOT_CHAIN_BROKEN,
            "root version " + next.version() + " does not follow version " + current.version());
        return new RootResolution(null, problems);
      }
      if (!signedBy(document, next.key())) {
        problems.add(Issue.ROOT_CHAIN_BROKEN, "root version " + next.version() + " is not signed by its own key");
        return new RootResolution(null, problems);
      }
      current = next;
    }
    if (current == null) {
      problems.add(Issue.ROOT_NOT_PINNED, "no root document in the chain belongs to a pinned root key");
    }
    return new RootResolution(current, problems);
  }

  /** The root this document describes, if a pinned key signed it and it describes that key. */
  private RootDocument pinnedRoot(SignedDocument document) {
    for (VerifyingKey pinned : anchors.pinnedRoots()) {
      if (signedBy(document, pinned)) {
        try {
          RootDocument root = RootDocument.decode(document.payloadView());
          return root.key().equals(pinned) ? root : null;
        } catch (DocumentFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Verifies a document signed by a role key: its chain must reach a pinned root, carry a
   * certificate from that root for {@code role} that is valid at {@code now} and not revoked by
   * {@code revocations} (a root-signed list, may be null), and the document must be signed by
   * the certified key.
   */
  public DocumentVerification verifyRoleSigned(SignedDocument document, DocumentKind expectedKind, Role role,
      Instant now, SignedDocument revocations) {
    Problems problems = new Problems();
    if (document.kind() != expectedKind) {
      problems.add(Issue.WRONG_DOCUMENT_KIND, "expected " + expectedKind.atom() + ", got " + document.kind().atom());
    }
    List<SignedDocument> roots = new ArrayList<>();
    List<SignedDocument> certificates = new ArrayList<>();
    for (SignedDocument link : document.chain()) {
      (link.kind() == DocumentKind.ROOT ? roots : certificates).add(link);
    }
    RootResolution resolution = resolveRoot(roots);
    problems.addAll(resolution.problems().toList());
    if (resolution.root() == null) {
      return new DocumentVerification(problems.toList(), document, null, null);
    }
    RootDocument root = resolution.root();
    if (certificates.size() != 1 || certificates.get(0).kind() != DocumentKind.ROLE_CERTIFICATE) {
      problems.add(Issue.CERTIFICATE_MISSING, "the chain must end in exactly one role certificate");
      return new DocumentVerification(problems.toList(), document, root, null);
    }
    RoleCertificate certificate = trustedCertificate(certificates.get(0), root, problems);
    if (certificate == null) {
      return new DocumentVerification(problems.toList(), document, root, null);
    }
    if (certificate.role() != role) {
      problems.add(Issue.WRONG_ROLE, "key is certified as " + certificate.role().atom() + ", not " + role.atom());
    }
    if (now.isBefore(certificate.notBefore())) {
      problems.add(Issue.ROLE_KEY_NOT_YET_VALID, "role key is valid from " + certificate.notBefore());
    }
    if (now.isAfter(certificate.notAfter())) {
      problems.add(Issue.ROLE_KEY_EXPIRED, "role key expired at " + certificate.notAfter());
    }
    if (revocations != null) {
      RevocationList list = trustedRevocations(revocations, root, problems);
      if (list != null && list.isRevoked(certificate.keyId())) {
        problems.add(Issue.ROLE_KEY_REVOKED, "role key " + certificate.keyId().shortForm()
            + " is revoked by revocation list version " + list.version());
      }
    }
    checkSignature(document, certificate, problems);
    return new DocumentVerification(problems.toList(), document, root, certificate);
  }

  /** Verifies a root-signed revocation list against the root its own chain resolves to. */
  public RevocationList verifyRevocations(SignedDocument revocations, RootDocument root, Problems problems) {
    return trustedRevocations(revocations, root, problems);
  }

  private RoleCertificate trustedCertificate(SignedDocument link, RootDocument root, Problems problems) {
    if (!signedBy(link, root.key())) {
      problems.add(Issue.CERTIFICATE_NOT_TRUSTED,
          "the role certificate is not signed by root version " + root.version());
      return null;
    }
    try {
      RoleCertificate certificate = RoleCertificate.decode(link.payloadView());
      if (!certificate.issuer().equals(root.keyId())) {
        problems.add(Issue.CERTIFICATE_NOT_TRUSTED, "the role certificate names another issuer");
        return null;
      }
      return certificate;
    } catch (DocumentFormatException e) {
      problems.add(Issue.CERTIFICATE_NOT_TRUSTED, e.getMessage());
      return null;
    }
  }

  private RevocationList trustedRevocations(SignedDocument revocations, RootDocument root, Problems problems) {
    if (revocations.kind() != DocumentKind.REVOCATION_LIST || !signedBy(revocations, root.key())) {
      problems.add(Issue.REVOCATION_LIST_INVALID, "the revocation list is not signed by root version " + root.version());
      return null;
    }
    try {
      return RevocationList.decode(revocations.payloadView());
    } catch (DocumentFormatException e) {
      problems.add(Issue.REVOCATION_LIST_INVALID, e.getMessage());
      return null;
    }
  }

  private static void checkSignature(SignedDocument document, RoleCertificate certificate, Problems problems) {
    if (document.signatures().isEmpty()) {
      problems.add(Issue.UNSIGNED, "the document carries no signature");
      return;
    }
    DocumentSignature signature = document.signatures().stream()
        .filter(s -> s.keyId().equals(certificate.keyId()))
        .findFirst()
        .orElse(null);
    if (signature == null) {
      problems.add(Issue.SIGNER_NOT_CERTIFIED, "signed by " + document.signatures().get(0).keyId().shortForm()
          + ", but the certificate is for " + certificate.keyId().shortForm());
      return;
    }
    if (!certificate.key().verify(document.kind().signingInput(document.payloadView()), signature.signature())) {
      problems.add(Issue.SIGNATURE_INVALID, "the signature by " + certificate.keyId().shortForm()
          + " does not match the document's bytes");
    }
  }

  static boolean signedBy(SignedDocument document, VerifyingKey key) {
    byte[] input = document.kind().signingInput(document.payloadView());
    for (DocumentSignature signature : document.signatures()) {
      if (signature.keyId().equals(key.keyId()) && key.verify(input, signature.signature())) {
        return true;
      }
    }
    return false;
  }
}
