package dev.dala.ota.signer.keys;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key. It never prints its secret: {@link #toString()} names only the key id.
 */
public final class SigningKey {

  private final Ed25519PrivateKeyParameters secret;
  private final VerifyingKey verifyingKey;

  SigningKey(Ed25519PrivateKeyParameters secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
    this.verifyingKey = VerifyingKey.fromRaw(secret.generatePublicKey().getEncoded());
  }

  /** A new key from the operating system's strong random source. */
  public static SigningKey generate() {
    try {
      return new SigningKey(new Ed25519PrivateKeyParameters(SecureRandom.getInstanceStrong()));
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SigningKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }
  }

  /** The key whose RFC 8032 seed is these 32 bytes; test vectors use it to stay reproducible. */
  public static SigningKey fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  public KeyId keyId() {
    return verifyingKey.keyId();
  }

  /** The Ed25519 signature (64 bytes) of {@code message}. Ed25519 signing is deterministic. */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, secret);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  Ed25519PrivateKeyParameters parameters() {
    return secret;
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId().shortForm() + "]";
  }
}
