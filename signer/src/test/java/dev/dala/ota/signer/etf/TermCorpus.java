package dev.dala.ota.signer.etf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Terms for codec tests: hand-picked edge cases plus a seeded random corpus. */
final class TermCorpus {

  private final SplittableRandom random;

  TermCorpus(long seed) {
    this.random = new SplittableRandom(seed);
  }

  static List<ErlTerm> edgeCases() {
    List<ErlTerm> terms = new ArrayList<>();
    for (long v : new long[] {0, 1, 255, 256, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      terms.add(ErlInteger.of(v));
    }
    terms.add(ErlInteger.of(BigInteger.ONE.shiftLeft(64)));
    terms.add(ErlInteger.of(BigInteger.ONE.shiftLeft(2040).subtract(BigInteger.ONE)));
    terms.add(ErlInteger.of(BigInteger.ONE.shiftLeft(2040)));
    terms.add(ErlInteger.of(BigInteger.ONE.shiftLeft(4000).negate()));
    terms.add(new ErlFloat(0.0));
    terms.add(new ErlFloat(-1.5e-300));
    terms.add(new ErlFloat(Double.MAX_VALUE));
    terms.add(ErlAtom.of(""));
    terms.add(ErlAtom.of("ok"));
    terms.add(ErlAtom.of("Elixir.Dala.Ota"));
    terms.add(ErlAtom.of("héllo wörld ✓"));
    terms.add(ErlAtom.of("a".repeat(255)));
    terms.add(ErlAtom.of("é".repeat(255)));
    terms.add(ErlAtom.of("😀".repeat(100)));
    terms.add(new ErlBinary(new byte[0]));
    terms.add(new ErlBinary(new byte[70_000]));
    terms.add(new ErlBitstring(new byte[] {(byte) 0xE0}, 3));
    terms.add(ErlList.NIL);
    terms.add(bytesList(65_535));
    terms.add(bytesList(65_536));
    terms.add(ErlList.of(ErlInteger.of(1), ErlInteger.of(256)));
    terms.add(new ErlList(List.of(ErlInteger.of(1), ErlInteger.of(2)), ErlInteger.of(3)));
    terms.add(new ErlList(List.of(ErlAtom.of("a")), new ErlBinary(new byte[] {1})));
    terms.add(ErlTuple.of());
    terms.add(new ErlTuple(nCopies(256, ErlAtom.of("x"))));
    terms.add(ErlMap.builder().build());
    terms.add(ErlMap.builder()
        .put(ErlInteger.of(2), ErlAtom.of("two"))
        .put(new ErlFloat(1.5), ErlAtom.of("one and a half"))
        .put(ErlInteger.of(1), ErlAtom.of("one"))
        .put(new ErlFloat(1.0), ErlAtom.of("one float"))
        .put(ErlAtom.of("b"), ErlInteger.of(1))
        .put(ErlAtom.of("a"), ErlInteger.of(2))
        .put(ErlList.NIL, ErlInteger.of(3))
        .put(ErlTuple.of(), ErlInteger.of(4))
        .put(ErlBinary.utf8("z"), ErlInteger.of(5))
        .put(ErlList.of(ErlAtom.of("q")), ErlInteger.of(6))
        .build());
    Map<ErlTerm, ErlTerm> big = new LinkedHashMap<>();
    for (int i = 100; i > 0; i--) {
      big.put(ErlInteger.of(i * 7919L % 1000), ErlAtom.of("v" + i));
    }
    terms.add(new ErlMap(big));
    ErlAtom node = ErlAtom.of("ota@updates.example.com");
    terms.add(new ErlPid(node, 77, 3, 0xFFFF_FFF0L));
    terms.add(new ErlRef(node, 9, new int[] {1, 2, 3}));
    terms.add(new ErlRef(node, 1, new int[] {-1, 2, 3, 4, 5}));
    terms.add(new ErlExportFun(ErlAtom.of("lists"), ErlAtom.of("map"), 2));
    return terms;
  }

  static ErlList bytesList(int n) {
    List<ErlTerm> elements = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      elements.add(ErlInteger.of(i % 256));
    }
    return ErlList.of(elements);
  }

  private static List<ErlTerm> nCopies(int n, ErlTerm term) {
    List<ErlTerm> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(term);
    }
    return list;
  }

  List<ErlTerm> random(int count) {
    List<ErlTerm> terms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      terms.add(term(4));
    }
    return terms;
  }

  ErlTerm term(int depth) {
    int kind = random.nextInt(depth > 0 ? 14 : 9);
    return switch (kind) {
      case 0 -> ErlInteger.of(random.nextInt(512) - 256);
      case 1 -> ErlInteger.of(random.nextLong());
      case 2 -> ErlInteger.of(new BigInteger(random.nextInt(1, 600), new java.util.Random(random.nextLong()))
          .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)));
      case 3 -> new ErlFloat((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-300, 300)));
      case 4 -> ErlAtom.of(text(random.nextInt(0, 40)));
      case 5 -> new ErlBinary(bytes(random.nextInt(0, 64)));
      case 6 -> bitstring();
      case 7 -> new ErlPort(ErlAtom.of("n" + random.nextInt(5) + "@host"), random.nextLong(0, 1L << 40), random.nextLong(0, 1L << 32));
      case 8 -> new ErlPid(ErlAtom.of("n" + random.nextInt(5) + "@host"), random.nextLong(0, 1L << 32), random.nextLong(0, 1L << 32), random.nextLong(0, 1L << 32));
      case 9 -> ErlList.of(terms(depth));
      case 10 -> randomBytesList();
      case 11 -> new ErlTuple(terms(depth));
      case 12 -> map(depth);
      default -> improper(depth);
    };
  }

  private List<ErlTerm> terms(int depth) {
    int n = random.nextInt(0, 6);
    List<ErlTerm> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(term(depth - 1));
    }
    return list;
  }

  private ErlTerm improper(int depth) {
    List<ErlTerm> elements = terms(depth);
    if (elements.isEmpty()) {
      elements = List.of(term(depth - 1));
    }
    ErlTerm tail = term(0);
    return new ErlList(elements, tail);
  }

  private ErlTerm map(int depth) {
    Map<ErlTerm, ErlTerm> entries = new LinkedHashMap<>();
    int n = random.nextInt(0, random.nextInt(10) == 0 ? 60 : 8);
    for (int i = 0; i < n; i++) {
      entries.put(term(depth - 1), term(depth - 1));
    }
    return new ErlMap(entries);
  }

  private ErlTerm randomBytesList() {
    int n = random.nextInt(1, 20);
    List<ErlTerm> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(ErlInteger.of(random.nextInt(256)));
    }
    return ErlList.of(list);
  }

  private ErlTerm bitstring() {
    byte[] data = bytes(random.nextInt(1, 10));
    int bits = random.nextInt(1, 8);
    data[data.length - 1] = (byte) (data[data.length - 1] & (0xFF << (8 - bits)));
    return new ErlBitstring(data, bits);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  private String text(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(10);
      if (pick < 7) {
        s.append((char) ('a' + random.nextInt(26)));
      } else if (pick < 9) {
        s.append((char) (0xC0 + random.nextInt(0x100)));
      } else {
        s.appendCodePoint(0x1F600 + random.nextInt(50));
      }
    }
    return s.toString();
  }
}
