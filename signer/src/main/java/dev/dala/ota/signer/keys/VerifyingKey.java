package dev.dala.ota.signer.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key: verifies signatures and names itself by {@link KeyId}. */
public final class VerifyingKey {

  public static final int SIZE = 32;
  public static final int SIGNATURE_SIZE = 64;

  private final byte[] raw;
  private final KeyId keyId;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
    this.keyId = KeyId.of(raw);
  }

  /** The key with these 32 raw bytes; throws {@link IllegalArgumentException} for any other size. */
  public static VerifyingKey fromRaw(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length != SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + raw.length);
    }
    return new VerifyingKey(raw.clone());
  }

  public byte[] raw() {
    return raw.clone();
  }

  public KeyId keyId() {
    return keyId;
  }

  /** True when {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_SIZE) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifyingKey k && MessageDigest.isEqual(k.raw, raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "ed25519:" + Base64.getEncoder().encodeToString(raw);
  }
}
