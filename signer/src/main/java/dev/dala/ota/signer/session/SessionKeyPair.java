package dev.dala.ota.signer.session;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An ephemeral X25519 key pair: the device makes one per check-in, the server one per session.
 * Neither is ever stored; the shared secret only feeds the cookie derivation.
 */
public final class SessionKeyPair {

  public static final int KEY_BYTES = X25519.SCALAR_SIZE;

  private final byte[] secret;
  private final byte[] publicKey;

  private SessionKeyPair(byte[] secret) {
    this.secret = secret;
    this.publicKey = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(secret, 0, publicKey, 0);
  }

  /** A fresh key pair. */
  public static SessionKeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] secret = new byte[KEY_BYTES];
    X25519.generatePrivateKey(random, secret);
    return new SessionKeyPair(secret);
  }

  /** The key pair of a given 32-byte secret (RFC 7748 clamps it on use). For test vectors. */
  public static SessionKeyPair fromSecret(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length != KEY_BYTES) {
      throw new IllegalArgumentException("secret must be " + KEY_BYTES + " bytes");
    }
    return new SessionKeyPair(secret.clone());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The raw secret, only for writing test vectors. */
  public byte[] secret() {
    return secret.clone();
  }

  /**
   * The shared secret with {@code peerPublic}, or empty when the peer's key is malformed or a
   * low-order point that forces the all-zero result (RFC 7748 section 6.1), which would let a
   * third party know the secret.
   */
  public Optional<byte[]> sharedSecret(byte[] peerPublic) {
    if (peerPublic == null || peerPublic.length != X25519.POINT_SIZE) {
      return Optional.empty();
    }
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(secret, 0, peerPublic, 0, shared, 0)) {
      return Optional.empty();
    }
    return Optional.of(shared);
  }

  @Override
  public String toString() {
    return "SessionKeyPair[secret redacted]";
  }
}
