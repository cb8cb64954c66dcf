package dev.dala.ota.signer.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class EtfDecoderTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static EtfError errorOf(byte[] input, EtfLimits limits) {
    try {
      EtfDecoder.decode(input, limits);
    } catch (EtfException e) {
      return e.error();
    }
    throw new AssertionError("decoded without error");
  }

  private static EtfError errorOf(byte[] input) {
    return errorOf(input, EtfLimits.DEFAULT);
  }

  @Test
  void decodesWhatTheEncoderWrites() throws Exception {
    ErlTerm term = ErlMap.builder()
        .put("list", ErlList.of(ErlInteger.of(1), ErlAtom.of("two"), ErlBinary.utf8("three")))
        .put("big", ErlInteger.of(BigInteger.TEN.pow(40)))
        .put("float", new ErlFloat(-2.5))
        .build();
    assertThat(EtfDecoder.decodeCanonical(EtfEncoder.encode(term), EtfLimits.DEFAULT)).isEqualTo(term);
  }

  @Test
  void readsLegacyLatin1AtomsButRejectsThemAsNonCanonical() throws Exception {
    byte[] latin1 = bytes(131, 100, 0, 3, 'f', 'o', 'o');
    assertThat(EtfDecoder.decode(latin1)).isEqualTo(ErlAtom.of("foo"));
    assertThatThrownBy(() -> EtfDecoder.decodeCanonical(latin1, EtfLimits.DEFAULT))
        .isInstanceOfSatisfying(EtfException.class, e -> assertThat(e.error()).isEqualTo(EtfError.NON_CANONICAL));
  }

  @Test
  void rejectsAMissingVersionByte() {
    assertThat(errorOf(bytes(97, 1))).isEqualTo(EtfError.BAD_VERSION);
  }

  @Test
  void rejectsTruncatedInput() {
    assertThat(errorOf(bytes(131, 98, 0, 0))).isEqualTo(EtfError.TRUNCATED);
    assertThat(errorOf(bytes(131))).isEqualTo(EtfError.TRUNCATED);
  }

  @Test
  void rejectsAListLengthTheInputCannotHoldBeforeAllocating() {
    // 4 billion elements claimed in 7 bytes: refused on the count alone.
    assertThat(errorOf(bytes(131, 108, 0xFF, 0xFF, 0xFF, 0xFF, 106))).isEqualTo(EtfError.TRUNCATED);
    // A map's count meets the map-entry limit first.
    assertThat(errorOf(bytes(131, 116, 0x7F, 0xFF, 0xFF, 0xFF))).isEqualTo(EtfError.TOO_MANY_TERMS);
    assertThat(errorOf(bytes(131, 116, 0, 0, 0x03, 0xE8), EtfLimits.DEFAULT)).isEqualTo(EtfError.TRUNCATED);
    assertThat(errorOf(bytes(131, 109, 0, 0, 0x03, 0xE8, 1))).isEqualTo(EtfError.TRUNCATED);
    assertThat(errorOf(bytes(131, 109, 0x7F, 0xFF, 0xFF, 0xFF, 1))).isEqualTo(EtfError.BINARY_TOO_LARGE);
  }

  @Test
  void rejectsUnknownTags() {
    assertThat(errorOf(bytes(131, 200))).isEqualTo(EtfError.UNKNOWN_TAG);
  }

  @Test
  void refusesCompressedTermsLocalFunsAndAtomCacheReferences() {
    assertThat(errorOf(bytes(131, 80, 0, 0, 0, 10, 120, 156))).isEqualTo(EtfError.UNSUPPORTED_TAG);
    assertThat(errorOf(bytes(131, 112, 0, 0, 0, 0))).isEqualTo(EtfError.UNSUPPORTED_TAG);
    assertThat(errorOf(bytes(131, 82, 0))).isEqualTo(EtfError.UNSUPPORTED_TAG);
  }

  @Test
  void enforcesTheDepthLimit() {
    byte[] nested = new byte[1 + 2 * 50 + 1];
    nested[0] = (byte) 131;
    for (int i = 0; i < 50; i++) {
      nested[1 + 2 * i] = 104;
      nested[2 + 2 * i] = 1;
    }
    nested[nested.length - 1] = 106;
    assertThat(errorOf(nested, EtfLimits.DEFAULT.withMaxDepth(20))).isEqualTo(EtfError.DEPTH_EXCEEDED);
  }

  @Test
  void enforcesTheTermCountLimit() {
    byte[] list = EtfEncoder.encode(ErlList.of(ErlAtom.of("a"), ErlAtom.of("b"), ErlAtom.of("c")));
    assertThat(errorOf(list, EtfLimits.DEFAULT.withMaxTerms(3))).isEqualTo(EtfError.TOO_MANY_TERMS);
  }

  @Test
  void enforcesTheBinaryAndBignumLimits() {
    byte[] binary = EtfEncoder.encode(new ErlBinary(new byte[100]));
    assertThat(errorOf(binary, EtfLimits.DEFAULT.withMaxBinaryBytes(99))).isEqualTo(EtfError.BINARY_TOO_LARGE);
    byte[] big = EtfEncoder.encode(ErlInteger.of(BigInteger.ONE.shiftLeft(800)));
    assertThat(errorOf(big, EtfLimits.DEFAULT.withMaxBignumBytes(64))).isEqualTo(EtfError.BIGNUM_TOO_LARGE);
  }

  @Test
  void rejectsAtomsThatAreTooLongOrNotUtf8() {
    byte[] longAtom = new byte[4 + 256];
    longAtom[0] = (byte) 131;
    longAtom[1] = 100;
    longAtom[2] = 1;
    longAtom[3] = 0;
    java.util.Arrays.fill(longAtom, 4, longAtom.length, (byte) 'a');
    assertThat(errorOf(longAtom)).isEqualTo(EtfError.ATOM_TOO_LONG);
    assertThat(errorOf(bytes(131, 119, 2, 0xC3, 0x28))).isEqualTo(EtfError.INVALID_UTF8);
  }

  @Test
  void rejectsNanAndInfinity() {
    assertThat(errorOf(bytes(131, 70, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0))).isEqualTo(EtfError.INVALID_FLOAT);
    assertThat(errorOf(bytes(131, 70, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0))).isEqualTo(EtfError.INVALID_FLOAT);
  }

  @Test
  void rejectsBitstringsWithSetPaddingOrBadBitCounts() {
    assertThat(errorOf(bytes(131, 77, 0, 0, 0, 1, 3, 0xFF))).isEqualTo(EtfError.INVALID_BITSTRING);
    assertThat(errorOf(bytes(131, 77, 0, 0, 0, 1, 0, 0))).isEqualTo(EtfError.INVALID_BITSTRING);
    assertThat(errorOf(bytes(131, 77, 0, 0, 0, 0, 3))).isEqualTo(EtfError.INVALID_BITSTRING);
  }

  @Test
  void rejectsReferencesWithTooManyWords() {
    assertThat(errorOf(bytes(131, 90, 0, 6, 119, 1, 'n'))).isEqualTo(EtfError.INVALID_REFERENCE);
  }

  @Test
  void rejectsDuplicateMapKeys() {
    assertThat(errorOf(bytes(131, 116, 0, 0, 0, 2, 97, 1, 106, 97, 1, 106))).isEqualTo(EtfError.DUPLICATE_MAP_KEY);
  }

  @Test
  void rejectsTrailingBytes() {
    assertThat(errorOf(bytes(131, 106, 0))).isEqualTo(EtfError.TRAILING_BYTES);
  }

  @Test
  void chargesAllocationAgainstABudgetProportionalToTheInput() {
    // A thousand empty maps cost far more than their two bytes each; a budget of one byte of
    // allocation per input byte refuses them.
    byte[] list = new byte[1 + 5 + 1000 * 5 + 1];
    list[0] = (byte) 131;
    list[1] = 108;
    list[2] = 0;
    list[3] = 0;
    list[4] = 0x03;
    list[5] = (byte) 0xE8;
    for (int i = 0; i < 1000; i++) {
      list[6 + 5 * i] = 116;
    }
    list[list.length - 1] = 106;
    EtfLimits stingy = new EtfLimits(10, 1_000_000, 1 << 20, 64, 1);
    assertThat(errorOf(list, stingy)).isEqualTo(EtfError.ALLOCATION_LIMIT);
  }

  @Test
  void refusesMapsWithMoreEntriesThanTheLimitBeforeReadingThem() {
    java.util.Map<ErlTerm, ErlTerm> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      entries.put(ErlInteger.of(i), ErlList.NIL);
    }
    byte[] map = EtfEncoder.encode(new ErlMap(entries));
    assertThat(errorOf(map, EtfLimits.DEFAULT.withMaxMapEntries(299))).isEqualTo(EtfError.TOO_MANY_TERMS);
    assertThatCode(() -> EtfDecoder.decode(map, EtfLimits.DEFAULT.withMaxMapEntries(300))).doesNotThrowAnyException();
    // Only the count is read: a huge declared count is refused however few bytes follow.
    assertThat(errorOf(bytes(131, 116, 0x7F, 0xFF, 0xFF, 0xFF), EtfLimits.DEFAULT)).isEqualTo(EtfError.TOO_MANY_TERMS);
  }

  @Test
  void reportsTheOffsetOfTheProblem() {
    assertThatThrownBy(() -> EtfDecoder.decode(bytes(131, 104, 2, 97, 1, 201)))
        .isInstanceOfSatisfying(EtfException.class, e -> {
          assertThat(e.error()).isEqualTo(EtfError.UNKNOWN_TAG);
          assertThat(e.offset()).isEqualTo(5);
        });
  }
}
