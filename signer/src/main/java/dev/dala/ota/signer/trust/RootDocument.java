package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Version {@code version} of the root of trust: the offline key that certifies role keys.
 * Version 1 signs itself; version N+1 is signed by the key of version N and by its own key.
 */
public record RootDocument(long version, VerifyingKey key, Instant issuedAt) {

  static final EtfLimits LIMITS = EtfLimits.DEFAULT.withMaxDepth(4).withMaxTerms(64);

  public RootDocument {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(issuedAt, "issuedAt");
    if (version < 1) {
      throw new IllegalArgumentException("root versions start at 1");
    }
  }

  public KeyId keyId() {
    return key.keyId();
  }

  public byte[] encode() {
    return EtfEncoder.encode(ErlMap.builder()
        .put("format", 1)
        .put("version", version)
        .put("public_key", key.raw())
        .putUtf8("key_id", key.keyId().hex())
        .put("issued_at", issuedAt.getEpochSecond())
        .build());
  }

  public static RootDocument decode(byte[] payload) throws DocumentFormatException {
    try {
      TermFields f = TermFields.of(EtfDecoder.decodeCanonical(payload, LIMITS), "root");
      requireFormat(f);
      VerifyingKey key = VerifyingKey.fromRaw(f.binary("public_key", VerifyingKey.SIZE));
      if (!key.keyId().hex().equals(f.utf8("key_id", 64))) {
        throw new DocumentFormatException("root key_id does not match its public_key");
      }
      long version = f.integer("version");
      if (version < 1) {
        throw new DocumentFormatException("root version must be at least 1");
      }
      return new RootDocument(version, key, Instant.ofEpochSecond(f.nonNegative("issued_at")));
    } catch (EtfException | TermFields.SchemaException e) {
      throw new DocumentFormatException("malformed root document: " + e.getMessage());
    }
  }

  static void requireFormat(TermFields f) throws TermFields.SchemaException, DocumentFormatException {
    if (f.integer("format") != 1) {
      throw new DocumentFormatException("unsupported format " + f.integer("format"));
    }
  }
}
