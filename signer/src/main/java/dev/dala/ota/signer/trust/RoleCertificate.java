package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A root's statement that {@code key} may act as {@code role} from {@code notBefore} until
 * {@code notAfter}. It names the root key and root version that issued it.
 */
public record RoleCertificate(
    Role role, VerifyingKey key, Instant notBefore, Instant notAfter, KeyId issuer, long rootVersion) {

  public RoleCertificate {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(issuer, "issuer");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
  }

  public KeyId keyId() {
    return key.keyId();
  }

  /** True when {@code now} lies within the validity window (both ends included). */
  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore) && !now.isAfter(notAfter);
  }

  public byte[] encode() {
    return EtfEncoder.encode(ErlMap.builder()
        .put("format", 1)
        .put("role", ErlAtom.of(role.atom()))
        .put("public_key", key.raw())
        .putUtf8("key_id", key.keyId().hex())
        .put("not_before", notBefore.getEpochSecond())
        .put("not_after", notAfter.getEpochSecond())
        .putUtf8("issuer", issuer.hex())
        .put("root_version", rootVersion)
        .build());
  }

  public static RoleCertificate decode(byte[] payload) throws DocumentFormatException {
    try {
      TermFields f = TermFields.of(EtfDecoder.decodeCanonical(payload, RootDocument.LIMITS), "role_certificate");
      RootDocument.requireFormat(f);
      Role role = Role.fromAtom(f.atom("role"));
      if (role == null) {
        throw new DocumentFormatException("unknown role " + f.atom("role"));
      }
      VerifyingKey key = VerifyingKey.fromRaw(f.binary("public_key", VerifyingKey.SIZE));
      if (!key.keyId().hex().equals(f.utf8("key_id", 64))) {
        throw new DocumentFormatException("certificate key_id does not match its public_key");
      }
      KeyId issuer = KeyId.parseOrNull(f.utf8("issuer", 64));
      if (issuer == null) {
        throw new DocumentFormatException("certificate issuer is not a key id");
      }
      Instant notBefore = Instant.ofEpochSecond(f.nonNegative("not_before"));
      Instant notAfter = Instant.ofEpochSecond(f.nonNegative("not_after"));
      if (!notAfter.isAfter(notBefore)) {
        throw new DocumentFormatException("certificate window is empty");
      }
      return new RoleCertificate(role, key, notBefore, notAfter, issuer, f.integer("root_version"));
    } catch (EtfException | TermFields.SchemaException e) {
      throw new DocumentFormatException("malformed role certificate: " + e.getMessage());
    }
  }
}
