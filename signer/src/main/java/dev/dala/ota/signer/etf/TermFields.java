package dev.dala.ota.signer.etf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the fields of a document map with a type check for each, so that a document of the
 * wrong shape fails with the field's name rather than a cast error. Keys are atoms; any other
 * key is ignored, which is how documents gain fields without breaking older readers.
 */
public final class TermFields {

  /** A document whose structure is not what its schema says. */
  public static final class SchemaException extends Exception {
    private final String field;

    public SchemaException(String field, String message) {
      super(field + ": " + message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final ErlMap map;
  private final String context;

  private TermFields(ErlMap map, String context) {
    this.map = map;
    this.context = context;
  }

  /** Reads {@code term} as a map of fields; {@code context} names the document in errors. */
  public static TermFields of(ErlTerm term, String context) throws SchemaException {
    Objects.requireNonNull(context, "context");
    if (!(term instanceof ErlMap m)) {
      throw new SchemaException(context, "is not a map");
    }
    return new TermFields(m, context);
  }

  public boolean has(String key) {
    return map.get(key) != null;
  }

  public ErlTerm term(String key) throws SchemaException {
    ErlTerm value = map.get(key);
    if (value == null) {
      throw missing(key);
    }
    return value;
  }

  public long integer(String key) throws SchemaException {
    if (!(term(key) instanceof ErlInteger i) || !i.fitsInLong()) {
      throw wrong(key, "a 64-bit integer");
    }
    return i.longValue();
  }

  public long nonNegative(String key) throws SchemaException {
    long value = integer(key);
    if (value < 0) {
      throw wrong(key, "a non-negative integer");
    }
    return value;
  }

  public byte[] binary(String key) throws SchemaException {
    if (!(term(key) instanceof ErlBinary b)) {
      throw wrong(key, "a binary");
    }
    return b.bytes();
  }

  public byte[] binary(String key, int exactSize) throws SchemaException {
    byte[] bytes = binary(key);
    if (bytes.length != exactSize) {
      throw wrong(key, "a binary of " + exactSize + " bytes");
    }
    return bytes;
  }

  public String utf8(String key, int maxBytes) throws SchemaException {
    byte[] bytes = binary(key);
    if (bytes.length > maxBytes) {
      throw wrong(key, "at most " + maxBytes + " bytes");
    }
    return new ErlBinary(bytes).utf8();
  }

  public String atom(String key) throws SchemaException {
    if (!(term(key) instanceof ErlAtom a)) {
      throw wrong(key, "an atom");
    }
    return a.name();
  }

  public List<ErlTerm> list(String key, int maxElements) throws SchemaException {
    if (!(term(key) instanceof ErlList l) || !l.isProper()) {
      throw wrong(key, "a proper list");
    }
    if (l.elements().size() > maxElements) {
      throw wrong(key, "a list of at most " + maxElements + " elements");
    }
    return l.elements();
  }

  public List<TermFields> maps(String key, int maxElements) throws SchemaException {
    List<TermFields> out = new ArrayList<>();
    for (ErlTerm element : list(key, maxElements)) {
      out.add(of(element, context + "." + key + "[" + out.size() + "]"));
    }
    return out;
  }

  public List<String> utf8List(String key, int maxElements, int maxBytes) throws SchemaException {
    List<String> out = new ArrayList<>();
    for (ErlTerm element : list(key, maxElements)) {
      if (!(element instanceof ErlBinary b) || b.size() > maxBytes) {
        throw wrong(key, "a list of binaries of at most " + maxBytes + " bytes");
      }
      out.add(b.utf8());
    }
    return out;
  }

  private SchemaException missing(String key) {
    return new SchemaException(context + "." + key, "is missing");
  }

  private SchemaException wrong(String key, String expected) {
    return new SchemaException(context + "." + key, "must be " + expected);
  }
}
