package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the offline root key does, and nothing else: start a root, rotate it, certify role
 * keys and revoke them. The {@code ota keys} verbs call these; no server ever holds a root key.
 */
public final class TrustAuthority {

  private TrustAuthority() {}

  /** Root version 1, signed by its own key. */
  public static SignedDocument createRoot(SigningKey rootKey, Instant issuedAt) {
    RootDocument root = new RootDocument(1, rootKey.verifyingKey(), issuedAt);
    return SignedDocument.sign(DocumentKind.ROOT, root.encode(), List.of(rootKey), List.of());
  }

  /**
   * Root version N+1 for {@code nextKey}, signed by the current root key and by the next one,
   * so that a device holding version N can accept it and no one else can forge it.
   */
  public static SignedDocument rotateRoot(SignedDocument currentRoot, SigningKey currentKey, SigningKey nextKey, Instant issuedAt)
      throws DocumentFormatException {
    RootDocument current = rootOf(currentRoot, currentKey);
    if (current.key().equals(nextKey.verifyingKey())) {
      throw new IllegalArgumentException("the next root key must differ from the current one");
    }
    RootDocument next = new RootDocument(current.version() + 1, nextKey.verifyingKey(), issuedAt);
    return SignedDocument.sign(DocumentKind.ROOT, next.encode(), List.of(currentKey, nextKey), List.of());
  }

  /** A certificate for {@code roleKey} as {@code role}, valid in [notBefore, notAfter]. */
  public static SignedDocument certify(SignedDocument root, SigningKey rootKey, Role role, VerifyingKey roleKey,
      Instant notBefore, Instant notAfter) throws DocumentFormatException {
    RootDocument current = rootOf(root, rootKey);
    RoleCertificate certificate = new RoleCertificate(role, roleKey, notBefore, notAfter, current.keyId(), current.version());
    return SignedDocument.sign(DocumentKind.ROLE_CERTIFICATE, certificate.encode(), List.of(rootKey), List.of());
  }

  /**
   * The next revocation list: everything {@code previous} revoked (if any) plus {@code keyIds},
   * with a version one higher.
   */
  public static SignedDocument revoke(SignedDocument root, SigningKey rootKey, RevocationList previous,
      Set<KeyId> keyIds, Instant issuedAt) throws DocumentFormatException {
    RootDocument current = rootOf(root, rootKey);
    TreeSet<KeyId> revoked = new TreeSet<>(keyIds);
    long version = 1;
    if (previous != null) {
      revoked.addAll(previous.revoked());
      version = previous.version() + 1;
    }
    RevocationList list = new RevocationList(version, issuedAt, current.keyId(), revoked);
    return SignedDocument.sign(DocumentKind.REVOCATION_LIST, list.encode(), List.of(rootKey), List.of());
  }

  private static RootDocument rootOf(SignedDocument rootDocument, SigningKey rootKey) throws DocumentFormatException {
    Objects.requireNonNull(rootDocument, "rootDocument");
    Objects.requireNonNull(rootKey, "rootKey");
    if (rootDocument.kind() != DocumentKind.ROOT) {
      throw new DocumentFormatException("expected a root document, got " + rootDocument.kind().atom());
    }
    RootDocument root = RootDocument.decode(rootDocument.payloadView());
    if (!root.key().equals(rootKey.verifyingKey())) {
      throw new IllegalArgumentException("the private key is not the key of root version " + root.version());
    }
    return root;
  }
}
