package dev.dala.ota.signer.etf;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Erlang's term order: number &lt; atom &lt; reference &lt; fun &lt; port &lt; pid &lt; tuple
 * &lt; map &lt; nil &lt; list &lt; bitstring.
 *
 * <p>{@link #STANDARD} is the order of {@code <} in Erlang, where {@code 1 == 1.0}.
 * {@link #MAP_KEYS} is the stricter order maps use for their keys, where every integer sorts
 * before every float; the encoder writes map keys in that order, as
 * {@code term_to_binary(T, [deterministic])} does. Both match OTP 25 and OTP 29, pids, ports
 * and references included.
 */
public final class TermOrder implements Comparator<ErlTerm> {

  public static final TermOrder STANDARD = new TermOrder(false);
  public static final TermOrder MAP_KEYS = new TermOrder(true);

  private final boolean exactNumbers;

  private TermOrder(boolean exactNumbers) {
    this.exactNumbers = exactNumbers;
  }

  @Override
  public int compare(ErlTerm a, ErlTerm b) {
    int rank = Integer.compare(a.typeRank(), b.typeRank());
    if (rank != 0) {
      return rank;
    }
    return switch (a) {
      case ErlInteger x when b instanceof ErlInteger y -> x.toBigInteger().compareTo(y.toBigInteger());
      case ErlFloat x when b instanceof ErlFloat y -> Double.compare(x.value(), y.value());
      case ErlInteger x -> exactNumbers ? -1 : compareMixed(x, (ErlFloat) b);
      case ErlFloat x -> exactNumbers ? 1 : -compareMixed((ErlInteger) b, x);
      case ErlAtom x -> compareAtoms(x, (ErlAtom) b);
      case ErlRef x -> compareRefs(x, (ErlRef) b);
      case ErlExportFun x -> compareFuns(x, (ErlExportFun) b);
      case ErlPort x -> comparePorts(x, (ErlPort) b);
      case ErlPid x -> comparePids(x, (ErlPid) b);
      case ErlTuple x -> compareTuples(x, (ErlTuple) b);
      case ErlMap x -> compareMaps(x, (ErlMap) b);
      case ErlList x -> compareLists(x, (ErlList) b);
      case ErlBinary x -> compareBits(x.bytes(), x.size() * 8L, b);
      case ErlBitstring x -> compareBits(x.bytes(), x.bitSize(), b);
    };
  }

  private static int compareMixed(ErlInteger i, ErlFloat f) {
    return new BigDecimal(i.toBigInteger()).compareTo(new BigDecimal(f.value()));
  }

  static int compareAtoms(ErlAtom a, ErlAtom b) {
    // Atoms compare by character (code point), not by UTF-16 unit.
    String x = a.name();
    String y = b.name();
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  // Pids, ports and references follow the order OTP 25 and 29 both use, found by sorting
  // external identifiers on real nodes (EtfRealNodeRoundTripTest keeps it honest).
  private static int compareRefs(ErlRef a, ErlRef b) {
    int c = compareAtoms(a.node(), b.node());
    if (c == 0) {
      c = Long.compare(a.creation(), b.creation());
    }
    if (c == 0) {
      c = Integer.compare(a.idCount(), b.idCount());
    }
    for (int i = a.idCount() - 1; c == 0 && i >= 0; i--) {
      c = Integer.compareUnsigned(a.idAt(i), b.idAt(i));
    }
    return c;
  }

  private static int compareFuns(ErlExportFun a, ErlExportFun b) {
    int c = compareAtoms(a.module(), b.module());
    if (c == 0) {
      c = compareAtoms(a.function(), b.function());
    }
    return c != 0 ? c : Integer.compare(a.arity(), b.arity());
  }

  private static int comparePorts(ErlPort a, ErlPort b) {
    int c = compareAtoms(a.node(), b.node());
    if (c == 0) {
      c = Long.compare(a.creation(), b.creation());
    }
    return c != 0 ? c : Long.compareUnsigned(a.id(), b.id());
  }

  private static int comparePids(ErlPid a, ErlPid b) {
    int c = Long.compare(a.serial(), b.serial());
    if (c == 0) {
      c = Long.compare(a.id(), b.id());
    }
    if (c == 0) {
      c = compareAtoms(a.node(), b.node());
    }
    return c != 0 ? c : Long.compare(a.creation(), b.creation());
  }

  private int compareTuples(ErlTuple a, ErlTuple b) {
    int c = Integer.compare(a.arity(), b.arity());
    for (int i = 0; c == 0 && i < a.arity(); i++) {
      c = compare(a.get(i), b.get(i));
    }
    return c;
  }

  private int compareMaps(ErlMap a, ErlMap b) {
    int c = Integer.compare(a.size(), b.size());
    if (c != 0) {
      return c;
    }
    List<Map.Entry<ErlTerm, ErlTerm>> x = sortedEntries(a);
    List<Map.Entry<ErlTerm, ErlTerm>> y = sortedEntries(b);
    for (int i = 0; c == 0 && i < x.size(); i++) {
      c = MAP_KEYS.compare(x.get(i).getKey(), y.get(i).getKey());
    }
    for (int i = 0; c == 0 && i < x.size(); i++) {
      c = compare(x.get(i).getValue(), y.get(i).getValue());
    }
    return c;
  }

  /** The entries of {@code map} in map-key order, the order the encoder writes them in. */
  public static List<Map.Entry<ErlTerm, ErlTerm>> sortedEntries(ErlMap map) {
    List<Map.Entry<ErlTerm, ErlTerm>> entries = new ArrayList<>(map.entries().entrySet());
    entries.sort(Map.Entry.comparingByKey(MAP_KEYS));
    return entries;
  }

  private int compareLists(ErlList a, ErlList b) {
    List<ErlTerm> x = a.elements();
    List<ErlTerm> y = b.elements();
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      int c = compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    // Past the common prefix, compare what follows: the rest of one list against the other's tail.
    ErlTerm restA = rest(a, n);
    ErlTerm restB = rest(b, n);
    return compare(restA, restB);
  }

  private static ErlTerm rest(ErlList list, int from) {
    if (from < list.elements().size()) {
      return new ErlList(list.elements().subList(from, list.elements().size()), list.tail());
    }
    return list.tail() == null ? ErlList.NIL : list.tail();
  }

  private static int compareBits(byte[] x, long xBits, ErlTerm other) {
    byte[] y;
    long yBits;
    if (other instanceof ErlBinary b) {
      y = b.bytes();
      yBits = b.size() * 8L;
    } else {
      ErlBitstring b = (ErlBitstring) other;
      y = b.bytes();
      yBits = b.bitSize();
    }
    long common = Math.min(xBits, yBits);
    long wholeBytes = common / 8;
    for (int i = 0; i < wholeBytes; i++) {
      int c = Integer.compare(x[i] & 0xFF, y[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    int restBits = (int) (common % 8);
    if (restBits > 0) {
      int mask = (0xFF << (8 - restBits)) & 0xFF;
      int c = Integer.compare(x[(int) wholeBytes] & mask, y[(int) wholeBytes] & mask);
      if (c != 0) {
        return c;
      }
    }
    return Long.compare(xBits, yBits);
  }
}
