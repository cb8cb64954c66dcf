package dev.dala.ota.signer.etf;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * A strict, bounded decoder. Every length field is checked against the bytes that remain and
 * against {@link EtfLimits} before anything is allocated for it, and the total that decoding
 * allocates is charged against a budget proportional to the input's size. Legacy and
 * executable forms (local funs, compressed terms, atom-cache references) are refused.
 */
public final class EtfDecoder {

  /** A term decoded from the middle of a buffer, and where the next one starts. */
  public record Decoded(ErlTerm term, int end) {}

  /** Roughly what one decoded term costs in memory, charged before it is built. */
  private static final int TERM_COST = 32;

  private final byte[] in;
  private final int limit;
  private final EtfLimits limits;
  private final long budget;
  private int pos;
  private int terms;
  private long charged;

  private EtfDecoder(byte[] in, int offset, int end, EtfLimits limits) {
    this.in = in;
    this.pos = offset;
    this.limit = end;
    this.limits = limits;
    this.budget = (long) limits.allocationFactor() * (end - offset) + EtfLimits.ALLOCATION_SLACK;
  }

  /** Decodes exactly one term, version byte first, with default limits. */
  public static ErlTerm decode(byte[] bytes) throws EtfException {
    return decode(bytes, EtfLimits.DEFAULT);
  }

  /** Decodes exactly one term, version byte first; trailing bytes are an error. */
  public static ErlTerm decode(byte[] bytes, EtfLimits limits) throws EtfException {
    Objects.requireNonNull(bytes, "bytes");
    Decoded decoded = decodeAt(bytes, 0, bytes.length, limits);
    if (decoded.end() != bytes.length) {
      throw new EtfException(EtfError.TRAILING_BYTES, decoded.end(), (bytes.length - decoded.end()) + " bytes left");
    }
    return decoded.term();
  }

  /**
   * Decodes one term and requires that the input is exactly what {@link EtfEncoder} writes for
   * it. Signed documents are read this way, so one document has only one byte form.
   */
  public static ErlTerm decodeCanonical(byte[] bytes, EtfLimits limits) throws EtfException {
    ErlTerm term = decode(bytes, limits);
    byte[] canonical = EtfEncoder.encode(term);
    int mismatch = java.util.Arrays.mismatch(bytes, canonical);
    if (mismatch >= 0) {
      throw new EtfException(EtfError.NON_CANONICAL, mismatch, "not the deterministic encoding");
    }
    return term;
  }

  /** Decodes one term, version byte first, from {@code bytes[offset, end)}. */
  public static Decoded decodeAt(byte[] bytes, int offset, int end, EtfLimits limits) throws EtfException {
    EtfDecoder decoder = over(bytes, offset, end, limits);
    int version = decoder.u8();
    if (version != Tag.VERSION) {
      throw new EtfException(EtfError.BAD_VERSION, offset, "expected 131, found " + version);
    }
    return decoder.one();
  }

  /**
   * Decodes one term that has no version byte of its own, from {@code bytes[offset, end)}. After
   * a distribution header the control message and the payload are written this way.
   */
  public static Decoded decodeBodyAt(byte[] bytes, int offset, int end, EtfLimits limits) throws EtfException {
    return over(bytes, offset, end, limits).one();
  }

  private static EtfDecoder over(byte[] bytes, int offset, int end, EtfLimits limits) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(limits, "limits");
    Objects.checkFromToIndex(offset, end, bytes.length);
    return new EtfDecoder(bytes, offset, end, limits);
  }

  private Decoded one() throws EtfException {
    ErlTerm term = term(0);
    return new Decoded(term, pos);
  }

  private ErlTerm term(int depth) throws EtfException {
    if (depth >= limits.maxDepth()) {
      throw fail(EtfError.DEPTH_EXCEEDED, "deeper than " + limits.maxDepth());
    }
    if (++terms > limits.maxTerms()) {
      throw fail(EtfError.TOO_MANY_TERMS, "more than " + limits.maxTerms());
    }
    int tagAt = pos;
    int tag = u8();
    return switch (tag) {
      case Tag.SMALL_INTEGER -> ErlInteger.of(u8());
      case Tag.INTEGER -> ErlInteger.of(s32());
      case Tag.SMALL_BIG -> bignum(u8());
      case Tag.LARGE_BIG -> bignum(length(u32(), 1));
      case Tag.NEW_FLOAT -> newFloat();
      case Tag.ATOM_UTF8, Tag.ATOM -> atomBody(u16(), tag == Tag.ATOM_UTF8);
      case Tag.SMALL_ATOM_UTF8, Tag.SMALL_ATOM -> atomBody(u8(), tag == Tag.SMALL_ATOM_UTF8);
      case Tag.BINARY -> new ErlBinary(bytes(binaryLength(u32())));
      case Tag.BIT_BINARY -> bitBinary();
      case Tag.NIL -> ErlList.NIL;
      case Tag.STRING -> string();
      case Tag.LIST -> list(depth);
      case Tag.SMALL_TUPLE -> tuple(u8(), depth);
      case Tag.LARGE_TUPLE -> tuple(length(u32(), 1), depth);
      case Tag.MAP -> map(depth);
      case Tag.NEW_PID -> new ErlPid(nodeAtom(depth), u32(), u32(), u32());
      case Tag.NEWER_REFERENCE -> reference(depth);
      case Tag.NEW_PORT -> new ErlPort(nodeAtom(depth), u32(), u32());
      case Tag.V4_PORT -> new ErlPort(nodeAtom(depth), s64(), u32());
      case Tag.EXPORT -> exportFun(depth);
      case Tag.COMPRESSED, Tag.ATOM_CACHE_REF, Tag.FLOAT, Tag.REFERENCE, Tag.PORT, Tag.PID,
          Tag.NEW_FUN, Tag.NEW_REFERENCE, Tag.FUN, Tag.LOCAL ->
          throw new EtfException(EtfError.UNSUPPORTED_TAG, tagAt, "tag " + tag);
      default -> throw new EtfException(EtfError.UNKNOWN_TAG, tagAt, "tag " + tag);
    };
  }

  private ErlTerm bignum(int n) throws EtfException {
    if (n > limits.maxBignumBytes()) {
      throw fail(EtfError.BIGNUM_TOO_LARGE, n + " bytes");
    }
    int sign = u8();
    require(n);
    charge((long) n * 2);
    byte[] bigEndian = new byte[n + 1];
    for (int i = 0; i < n; i++) {
      bigEndian[n - i] = in[pos + i];
    }
    pos += n;
    BigInteger magnitude = new BigInteger(bigEndian);
    return ErlInteger.of(sign == 0 ? magnitude : magnitude.negate());
  }

  private ErlTerm newFloat() throws EtfException {
    int at = pos;
    double value = Double.longBitsToDouble(s64());
    if (!Double.isFinite(value)) {
      throw new EtfException(EtfError.INVALID_FLOAT, at, "not finite");
    }
    return new ErlFloat(value);
  }

  private ErlAtom atomBody(int n, boolean utf8) throws EtfException {
    int at = pos;
    // 255 characters of at most 4 UTF-8 bytes each.
    if (n > ErlAtom.MAX_CHARACTERS * 4 || (!utf8 && n > ErlAtom.MAX_CHARACTERS)) {
      throw new EtfException(EtfError.ATOM_TOO_LONG, at, n + " bytes");
    }
    require(n);
    charge(n * 2L);
    String name;
    if (utf8) {
      try {
        name = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in, pos, n))
            .toString();
      } catch (CharacterCodingException e) {
        throw new EtfException(EtfError.INVALID_UTF8, at, "atom is not UTF-8");
      }
    } else {
      name = new String(in, pos, n, StandardCharsets.ISO_8859_1);
    }
    pos += n;
    if (name.codePointCount(0, name.length()) > ErlAtom.MAX_CHARACTERS) {
      throw new EtfException(EtfError.ATOM_TOO_LONG, at, "more than 255 characters");
    }
    return new ErlAtom(name);
  }

  private ErlAtom nodeAtom(int depth) throws EtfException {
    int at = pos;
    ErlTerm node = term(depth + 1);
    if (!(node instanceof ErlAtom atom)) {
      throw new EtfException(EtfError.UNKNOWN_TAG, at, "node name is not an atom");
    }
    return atom;
  }

  private ErlTerm bitBinary() throws EtfException {
    int n = binaryLength(u32());
    int at = pos;
    int bits = u8();
    if (n == 0 || bits < 1 || bits > 8) {
      throw new EtfException(EtfError.INVALID_BITSTRING, at, n + " bytes with " + bits + " bits in the last");
    }
    byte[] data = bytes(n);
    if (bits == 8) {
      return new ErlBinary(data);
    }
    if ((data[n - 1] & ((1 << (8 - bits)) - 1)) != 0) {
      throw new EtfException(EtfError.INVALID_BITSTRING, at, "padding bits are set");
    }
    return new ErlBitstring(data, bits);
  }

  private ErlTerm string() throws EtfException {
    int n = u16();
    require(n);
    countTerms(n);
    charge(8L * n);
    List<ErlTerm> elements = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      elements.add(ErlInteger.of(in[pos++] & 0xFF));
    }
    return ErlList.of(elements);
  }

  private ErlTerm list(int depth) throws EtfException {
    // Each element and the tail take at least one byte: that bounds the count before allocating.
    int n = length(u32(), 1);
    require(n + 1L);
    charge(16L * n + TERM_COST);
    List<ErlTerm> elements = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      elements.add(term(depth + 1));
    }
    ErlTerm tail = term(depth + 1);
    if (n == 0) {
      return tail;
    }
    return new ErlList(elements, tail instanceof ErlList l && l.isNil() ? null : tail);
  }

  private ErlTerm tuple(int n, int depth) throws EtfException {
    require(n);
    charge(16L * n + TERM_COST);
    List<ErlTerm> elements = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      elements.add(term(depth + 1));
    }
    return new ErlTuple(elements);
  }

  private ErlTerm map(int depth) throws EtfException {
    long declared = u32();
    if (declared > limits.maxMapEntries()) {
      throw fail(EtfError.TOO_MANY_TERMS, "a map of " + declared + " entries; at most " + limits.maxMapEntries());
    }
    int n = length(declared, 2);
    require(2L * n);
    charge(96L * n + TERM_COST);
    LinkedHashMap<ErlTerm, ErlTerm> entries = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int keyAt = pos;
      ErlTerm key = term(depth + 1);
      ErlTerm value = term(depth + 1);
      if (entries.putIfAbsent(key, value) != null) {
        throw new EtfException(EtfError.DUPLICATE_MAP_KEY, keyAt, "key " + key);
      }
    }
    return new ErlMap(entries);
  }

  private ErlTerm reference(int depth) throws EtfException {
    int at = pos;
    int n = u16();
    if (n < 1 || n > ErlRef.MAX_IDS) {
      throw new EtfException(EtfError.INVALID_REFERENCE, at, n + " id words");
    }
    ErlAtom node = nodeAtom(depth);
    long creation = u32();
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (int) u32();
    }
    return new ErlRef(node, creation, ids);
  }

  private ErlTerm exportFun(int depth) throws EtfException {
    ErlAtom module = nodeAtom(depth);
    ErlAtom function = nodeAtom(depth);
    int at = pos;
    if (u8() != Tag.SMALL_INTEGER) {
      throw new EtfException(EtfError.UNKNOWN_TAG, at, "export arity is not a small integer");
    }
    return new ErlExportFun(module, function, u8());
  }

  private int binaryLength(long n) throws EtfException {
    if (n > limits.maxBinaryBytes()) {
      throw fail(EtfError.BINARY_TOO_LARGE, n + " bytes");
    }
    return length(n, 1);
  }

  /** A count read from the input, checked against what the remaining bytes could possibly hold. */
  private int length(long count, int minBytesEach) throws EtfException {
    if (count * minBytesEach > limit - pos) {
      throw fail(EtfError.TRUNCATED, "length " + count + " exceeds the " + (limit - pos) + " bytes left");
    }
    return (int) count;
  }

  private void countTerms(int n) throws EtfException {
    terms += n;
    if (terms > limits.maxTerms() || terms < 0) {
      throw fail(EtfError.TOO_MANY_TERMS, "more than " + limits.maxTerms());
    }
  }

  private void charge(long bytes) throws EtfException {
    charged += bytes;
    if (charged > budget) {
      throw fail(EtfError.ALLOCATION_LIMIT, "would allocate more than " + budget + " bytes");
    }
  }

  private byte[] bytes(int n) throws EtfException {
    require(n);
    charge(n);
    byte[] out = new byte[n];
    System.arraycopy(in, pos, out, 0, n);
    pos += n;
    return out;
  }

  private void require(long n) throws EtfException {
    if (n > limit - pos) {
      throw fail(EtfError.TRUNCATED, "needs " + n + " bytes, " + (limit - pos) + " left");
    }
  }

  private int u8() throws EtfException {
    require(1);
    return in[pos++] & 0xFF;
  }

  private int u16() throws EtfException {
    require(2);
    int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  private long u32() throws EtfException {
    return s32() & 0xFFFF_FFFFL;
  }

  private int s32() throws EtfException {
    require(4);
    int v = ((in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16) | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  private long s64() throws EtfException {
    long high = u32();
    return (high << 32) | u32();
  }

  private EtfException fail(EtfError error, String detail) {
    return new EtfException(error, pos, detail);
  }
}
