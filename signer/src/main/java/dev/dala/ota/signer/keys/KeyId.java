package dev.dala.ota.signer.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A key's stable name: the lowercase hex SHA-256 of its raw 32-byte Ed25519 public key. The
 * agent and the C NIF compute the same value with nothing but SHA-256.
 */
public record KeyId(String hex) implements Comparable<KeyId> {

  private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");

  public KeyId {
    Objects.requireNonNull(hex, "hex");
    if (!FORM.matcher(hex).matches()) {
      throw new IllegalArgumentException("a key id is 64 lowercase hex digits");
    }
  }

  public static KeyId of(byte[] rawPublicKey) {
    try {
      return new KeyId(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawPublicKey)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A parsed key id, or null when {@code text} is not one. */
  public static KeyId parseOrNull(String text) {
    return text != null && FORM.matcher(text).matches() ? new KeyId(text) : null;
  }

  /** The first 16 hex digits, for file names and log lines. */
  public String shortForm() {
    return hex.substring(0, 16);
  }

  @Override
  public int compareTo(KeyId other) {
    return hex.compareTo(other.hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
