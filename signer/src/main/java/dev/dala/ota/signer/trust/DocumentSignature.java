package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.KeyId;
import java.util.Arrays;
import java.util.Objects;

/** One Ed25519 signature over a document, and the id of the key that made it. */
public record DocumentSignature(KeyId keyId, byte[] signature) {

  public DocumentSignature {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DocumentSignature s && s.keyId.equals(keyId) && Arrays.equals(s.signature, signature);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode() * 31 + Arrays.hashCode(signature);
  }
}
