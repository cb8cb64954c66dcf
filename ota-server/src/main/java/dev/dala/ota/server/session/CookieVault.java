package dev.dala.ota.server.session;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.signer.session.SessionCookie;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts session cookies at rest with AES-256-GCM under {@code ota.dist.cookie-key}, shared by
 * every pod. The session id is authenticated with each ciphertext, so a sealed cookie cannot be
 * moved to another session's row.
 */
@ApplicationScoped
public class CookieVault {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] LABEL = "dala-ota/v1/cookie-at-rest".getBytes(StandardCharsets.US_ASCII);

  @Inject
  OtaConfig config;

  private final SecureRandom random = new SecureRandom();
  private SecretKeySpec key;
  private String problem;

  @PostConstruct
  void init() {
    String encoded = config.dist().cookieKey().orElse("");
    if (encoded.isBlank()) {
      problem = "ota.dist.cookie-key (OTA_DIST_COOKIE_KEY) is not set: give every pod the same base64 32-byte key";
      return;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      problem = "ota.dist.cookie-key is not base64";
      return;
    }
    if (raw.length != 32) {
      problem = "ota.dist.cookie-key must decode to 32 bytes, not " + raw.length;
      return;
    }
    key = new SecretKeySpec(raw, "AES");
  }

  /** Why the vault cannot work, or null when it can. */
  public String problem() {
    return problem;
  }

  /** nonce || ciphertext+tag. */
  public byte[] seal(byte[] sessionId, SessionCookie cookie) {
    requireKey();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(sessionId));
      byte[] sealed = cipher.doFinal(cookie.value().getBytes(StandardCharsets.US_ASCII));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** The cookie sealed for {@code sessionId}; fails if the bytes were altered or moved. */
  public SessionCookie open(byte[] sessionId, byte[] sealed) throws GeneralSecurityException {
    requireKey();
    if (sealed == null || sealed.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("sealed cookie too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
    cipher.updateAAD(aad(sessionId));
    byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    try {
      return SessionCookie.of(new String(plain, StandardCharsets.US_ASCII));
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static byte[] aad(byte[] sessionId) {
    return ByteBuffer.allocate(LABEL.length + sessionId.length).put(LABEL).put(sessionId).array();
  }

  private void requireKey() {
    if (key == null) {
      throw new IllegalStateException(problem);
    }
  }
}
