package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.SigningKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An online role key together with the chain that vouches for it: the root documents from
 * version 1 up to the current root, then the key's certificate. Every document it signs carries
 * that chain, so any device that pins any root version on it can verify the document alone.
 */
public final class SigningIdentity {

  private final SigningKey key;
  private final RoleCertificate certificate;
  private final List<SignedDocument> chain;

  public SigningIdentity(SigningKey key, List<SignedDocument> roots, SignedDocument certificate)
      throws DocumentFormatException {
    this.key = Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
    if (certificate.kind() != DocumentKind.ROLE_CERTIFICATE) {
      throw new DocumentFormatException("expected a role certificate, got " + certificate.kind().atom());
    }
    this.certificate = RoleCertificate.decode(certificate.payload());
    if (!this.certificate.key().equals(key.verifyingKey())) {
      throw new IllegalArgumentException("the certificate is for another key");
    }
    for (SignedDocument root : roots) {
      if (root.kind() != DocumentKind.ROOT) {
        throw new DocumentFormatException("expected root documents, got " + root.kind().atom());
      }
    }
    List<SignedDocument> links = new ArrayList<>(roots);
    links.add(certificate);
    this.chain = List.copyOf(links);
  }

  public RoleCertificate certificate() {
    return certificate;
  }

  public Role role() {
    return certificate.role();
  }

  public SigningKey key() {
    return key;
  }

  public List<SignedDocument> chain() {
    return chain;
  }

  /** Signs {@code payload} as a {@code kind} document, carrying this identity's chain. */
  public SignedDocument sign(DocumentKind kind, byte[] payload) {
    return SignedDocument.sign(kind, payload, List.of(key), chain);
  }
}
