package dev.dala.ota.signer.etf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A bitstring whose size is not a whole number of bytes: {@code bytes} holds the bits, and
 * only the top {@code bitsInLastByte} bits of the last byte count (the rest are zero).
 */
public record ErlBitstring(byte[] bytes, int bitsInLastByte) implements ErlTerm {

  public ErlBitstring {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0 || bitsInLastByte < 1 || bitsInLastByte > 7) {
      throw new IllegalArgumentException("a bitstring has 1..7 bits in a non-empty last byte");
    }
    int unused = 8 - bitsInLastByte;
    if ((bytes[bytes.length - 1] & ((1 << unused) - 1)) != 0) {
      throw new IllegalArgumentException("unused bits of the last byte must be zero");
    }
  }

  public long bitSize() {
    return (bytes.length - 1) * 8L + bitsInLastByte;
  }

  @Override
  public int typeRank() {
    return 10;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ErlBitstring b
        && b.bitsInLastByte == bitsInLastByte
        && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + bitsInLastByte;
  }

  @Override
  public String toString() {
    return "<<" + bitSize() + " bits>>";
  }
}
