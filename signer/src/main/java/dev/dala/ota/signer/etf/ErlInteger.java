package dev.dala.ota.signer.etf;

import java.math.BigInteger;

/**
 * An integer of any size. Values that fit in a {@code long} keep no {@link BigInteger}, which
 * keeps the common case cheap; the two forms never overlap, so equality stays structural.
 */
public record ErlInteger(long smallValue, BigInteger bigValue) implements ErlTerm {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final ErlInteger[] BYTES = new ErlInteger[256];

  static {
    for (int i = 0; i < BYTES.length; i++) {
      BYTES[i] = new ErlInteger(i, null);
    }
  }

  public ErlInteger {
    if (bigValue != null && bigValue.compareTo(LONG_MIN) >= 0 && bigValue.compareTo(LONG_MAX) <= 0) {
      throw new IllegalArgumentException("a value that fits in a long must use the small form");
    }
    if (bigValue != null && smallValue != 0) {
      throw new IllegalArgumentException("the big form keeps no small value");
    }
  }

  public static ErlInteger of(long value) {
    return value >= 0 && value < 256 ? BYTES[(int) value] : new ErlInteger(value, null);
  }

  public static ErlInteger of(BigInteger value) {
    if (value.bitLength() < 64) {
      return of(value.longValue());
    }
    return new ErlInteger(0, value);
  }

  public boolean fitsInLong() {
    return bigValue == null;
  }

  /** The value as a long; throws if it does not fit. */
  public long longValue() {
    if (bigValue != null) {
      throw new ArithmeticException("integer does not fit in a long: " + bigValue);
    }
    return smallValue;
  }

  public BigInteger toBigInteger() {
    return bigValue != null ? bigValue : BigInteger.valueOf(smallValue);
  }

  @Override
  public int typeRank() {
    return 0;
  }

  @Override
  public String toString() {
    return bigValue != null ? bigValue.toString() : Long.toString(smallValue);
  }
}
