package dev.dala.ota.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Making and hashing API token secrets: {@code ota_} and 32 random bytes, base64url. */
public final class TokenSecrets {

  public static final String PREFIX = "ota_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a token: its SHA-256. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The first characters, enough to tell tokens apart in a list, never enough to use one. */
  public static String displayPrefix(String token) {
    return token.substring(0, Math.min(12, token.length()));
  }

  public static boolean looksLikeToken(String value) {
    return value != null && value.startsWith(PREFIX) && value.length() >= 20 && value.length() <= 128;
  }
}
