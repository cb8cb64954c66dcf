package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.keys.KeyId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The root's list of role keys that must no longer be trusted, whatever their certificates
 * say. Versions only grow; a device keeps the highest version it has verified.
 */
public record RevocationList(long version, Instant issuedAt, KeyId issuer, SortedSet<KeyId> revoked) {

  public static final int MAX_ENTRIES = 10_000;

  public RevocationList {
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(issuer, "issuer");
    revoked = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(revoked));
    if (version < 1) {
      throw new IllegalArgumentException("revocation list versions start at 1");
    }
  }

  public boolean isRevoked(KeyId keyId) {
    return revoked.contains(keyId);
  }

  public byte[] encode() {
    List<ErlTerm> ids = new ArrayList<>();
    for (KeyId id : revoked) {
      ids.add(ErlBinary.utf8(id.hex()));
    }
    return EtfEncoder.encode(ErlMap.builder()
        .put("format", 1)
        .put("version", version)
        .put("issued_at", issuedAt.getEpochSecond())
        .putUtf8("issuer", issuer.hex())
        .put("revoked", ErlList.of(ids))
        .build());
  }

  public static RevocationList decode(byte[] payload) throws DocumentFormatException {
    try {
      ErlTerm term = EtfDecoder.decodeCanonical(payload,
          RootDocument.LIMITS.withMaxTerms(MAX_ENTRIES + 32));
      TermFields f = TermFields.of(term, "revocation_list");
      RootDocument.requireFormat(f);
      TreeSet<KeyId> revoked = new TreeSet<>();
      for (String hex : f.utf8List("revoked", MAX_ENTRIES, 64)) {
        KeyId id = KeyId.parseOrNull(hex);
        if (id == null) {
          throw new DocumentFormatException("revoked entry is not a key id");
        }
        revoked.add(id);
      }
      KeyId issuer = KeyId.parseOrNull(f.utf8("issuer", 64));
      if (issuer == null || f.integer("version") < 1) {
        throw new DocumentFormatException("revocation list issuer or version is invalid");
      }
      return new RevocationList(f.integer("version"), Instant.ofEpochSecond(f.nonNegative("issued_at")), issuer, revoked);
    } catch (EtfException | TermFields.SchemaException e) {
      throw new DocumentFormatException("malformed revocation list: " + e.getMessage());
    }
  }
}
