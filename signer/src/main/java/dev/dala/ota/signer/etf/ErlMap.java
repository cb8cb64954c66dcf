package dev.dala.ota.signer.etf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A map. Equality ignores entry order; the encoder always writes keys in Erlang's map-key
 * order, so equal maps encode to equal bytes.
 */
public record ErlMap(Map<ErlTerm, ErlTerm> entries) implements ErlTerm {

  public ErlMap {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(entries, "entries")));
  }

  public int size() {
    return entries.size();
  }

  public ErlTerm get(ErlTerm key) {
    return entries.get(key);
  }

  public ErlTerm get(String atomKey) {
    return entries.get(ErlAtom.of(atomKey));
  }

  @Override
  public int typeRank() {
    return 7;
  }

  /** A builder that keeps insertion order for readability; encoding order does not depend on it. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ErlMap}, rejecting a key given twice. */
  public static final class Builder {
    private final LinkedHashMap<ErlTerm, ErlTerm> entries = new LinkedHashMap<>();

    public Builder put(ErlTerm key, ErlTerm value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (entries.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("duplicate map key " + key);
      }
      return this;
    }

    public Builder put(String atomKey, ErlTerm value) {
      return put(ErlAtom.of(atomKey), value);
    }

    public Builder put(String atomKey, long value) {
      return put(ErlAtom.of(atomKey), ErlInteger.of(value));
    }

    public Builder put(String atomKey, byte[] value) {
      return put(ErlAtom.of(atomKey), new ErlBinary(value));
    }

    public Builder putUtf8(String atomKey, String value) {
      return put(ErlAtom.of(atomKey), ErlBinary.utf8(value));
    }

    public ErlMap build() {
      return new ErlMap(entries);
    }
  }
}
