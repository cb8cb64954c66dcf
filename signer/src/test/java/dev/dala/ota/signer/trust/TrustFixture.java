package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/** Deterministic roots and role keys for trust tests. */
final class TrustFixture {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

  static SigningKey key(String name) {
    try {
      return SigningKey.fromSeed(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static SignedDocument release(SigningKey key, List<SignedDocument> chain) {
    return SignedDocument.sign(DocumentKind.MANIFEST, "payload".getBytes(StandardCharsets.UTF_8), List.of(key), chain);
  }

  private TrustFixture() {}
}
