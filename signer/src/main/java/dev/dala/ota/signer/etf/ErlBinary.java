package dev.dala.ota.signer.etf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A binary. The array is shared, not copied, so that megabyte module binaries move through
 * the codec without copies; callers must treat it as immutable.
 */
public record ErlBinary(byte[] bytes) implements ErlTerm {

  public ErlBinary {
    Objects.requireNonNull(bytes, "bytes");
  }

  /** A binary holding a copy of {@code bytes}. */
  public static ErlBinary copyOf(byte[] bytes) {
    return new ErlBinary(bytes.clone());
  }

  public static ErlBinary utf8(String text) {
    return new ErlBinary(text.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return bytes.length;
  }

  public String utf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public int typeRank() {
    return 10;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ErlBinary b && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bytes.length <= 32
        ? "<<" + HexFormat.of().formatHex(bytes) + ">>"
        : "<<" + bytes.length + " bytes>>";
  }
}
