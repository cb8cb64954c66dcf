package dev.dala.ota.signer.session;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), as the agent and the NIF compute it too. */
public final class Hkdf {

  /** The most output one derivation may produce: 255 blocks of 32 bytes. */
  public static final int MAX_LENGTH = 255 * 32;

  private Hkdf() {}

  /** Extract then expand: {@code length} bytes of keying material. An empty salt means 32 zero bytes. */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  /** The pseudorandom key HMAC(salt, ikm). */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm");
    byte[] key = salt == null || salt.length == 0 ? new byte[32] : salt;
    return hmac(key, ikm);
  }

  /** T(1) || T(2) || ... truncated to {@code length}. */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk, "prk");
    if (length < 0 || length > MAX_LENGTH) {
      throw new IllegalArgumentException("length must be 0.." + MAX_LENGTH);
    }
    byte[] context = info == null ? new byte[0] : info;
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      byte[] input = new byte[previous.length + context.length + 1];
      System.arraycopy(previous, 0, input, 0, previous.length);
      System.arraycopy(context, 0, input, previous.length, context.length);
      input[input.length - 1] = (byte) counter;
      previous = hmac(prk, input);
      int n = Math.min(previous.length, length - written);
      System.arraycopy(previous, 0, out, written, n);
      written += n;
    }
    return out;
  }

  /** HMAC-SHA256. */
  public static byte[] hmac(byte[] key, byte[] data) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // SecretKeySpec refuses empty keys; HMAC pads any key to the block size, so zeros are equal.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
