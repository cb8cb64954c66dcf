package dev.dala.ota.signer.etf;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known encodings, read off OTP 25 and 29 nodes with term_to_binary(T, [deterministic]). */
class EtfEncoderTest {

  private static String hex(ErlTerm term) {
    return HexFormat.of().formatHex(EtfEncoder.encode(term));
  }

  @Test
  void writesAtomsAsUtf8() {
    assertThat(hex(ErlAtom.of("foo"))).isEqualTo("8377" + "03" + "666f6f");
    assertThat(hex(ErlAtom.of("héllo"))).isEqualTo("837706" + "68c3a96c6c6f");
  }

  @Test
  void writesTheSmallestIntegerForm() {
    assertThat(hex(ErlInteger.of(255))).isEqualTo("8361ff");
    assertThat(hex(ErlInteger.of(-300))).isEqualTo("8362fffffed4");
    assertThat(hex(ErlInteger.of(BigInteger.ONE.shiftLeft(64)))).isEqualTo("836e0900000000000000000001");
  }

  @Test
  void writesListsOfBytesAsStrings() {
    assertThat(hex(ErlList.of(ErlInteger.of(1), ErlInteger.of(2), ErlInteger.of(3)))).isEqualTo("836b0003010203");
  }

  @Test
  void writesMapKeysWithIntegersBeforeFloats() {
    ErlMap map = ErlMap.builder()
        .put(new ErlFloat(1.5), ErlAtom.of("b"))
        .put(ErlInteger.of(2), ErlAtom.of("a"))
        .build();
    assertThat(hex(map)).isEqualTo("837400000002" + "6102" + "770161" + "463ff8000000000000" + "770162");
  }

  @Test
  void encodesEqualMapsToEqualBytesWhateverTheInsertionOrder() {
    ErlMap a = ErlMap.builder().put("x", 1).put("y", 2).build();
    ErlMap b = ErlMap.builder().put("y", 2).put("x", 1).build();
    assertThat(EtfEncoder.encode(a)).isEqualTo(EtfEncoder.encode(b));
  }
}
