package dev.dala.ota.signer.session;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The distribution cookie of one session. Neither side ever sends it: both derive it as
 * HKDF-SHA256 with the session id as salt, the X25519 shared secret as input key material and
 * {@code "dala-ota/v1/dist-cookie" 0x00 SHA-256(transcript)} as info, 32 bytes, written as 64
 * lowercase hex characters (the atom the device passes to {@code erlang:set_cookie/2}).
 *
 * <p>{@link #toString()} never shows the value, so a cookie cannot reach a log by accident.
 */
public final class SessionCookie {

  public static final String INFO_LABEL = "dala-ota/v1/dist-cookie";
  public static final int BYTES = 32;

  private final String value;

  private SessionCookie(String value) {
    this.value = value;
  }

  /** The cookie for {@code transcript}, from the X25519 shared secret. */
  public static SessionCookie derive(byte[] sharedSecret, SessionTranscript transcript) {
    Objects.requireNonNull(sharedSecret, "sharedSecret");
    Objects.requireNonNull(transcript, "transcript");
    if (sharedSecret.length != SessionKeyPair.KEY_BYTES) {
      throw new IllegalArgumentException("sharedSecret must be 32 bytes");
    }
    byte[] okm = Hkdf.derive(transcript.sessionId(), sharedSecret, info(transcript.hash()), BYTES);
    return new SessionCookie(HexFormat.of().formatHex(okm));
  }

  /**
   * The device's side: agree with the server's public key, then derive. Empty when the server's
   * key forces an all-zero secret.
   */
  public static Optional<SessionCookie> deriveForDevice(SessionKeyPair device, SessionTranscript transcript) {
    return device.sharedSecret(transcript.serverPublic()).map(shared -> derive(shared, transcript));
  }

  /** A cookie read back from storage; it must look like one this class derives. */
  public static SessionCookie of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.length() != 2 * BYTES || !SessionIds.isLowerHex(value)) {
      throw new IllegalArgumentException("not a session cookie");
    }
    return new SessionCookie(value);
  }

  static byte[] info(byte[] transcriptHash) {
    byte[] label = INFO_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] info = new byte[label.length + 1 + transcriptHash.length];
    System.arraycopy(label, 0, info, 0, label.length);
    System.arraycopy(transcriptHash, 0, info, label.length + 1, transcriptHash.length);
    return info;
  }

  /** The cookie's characters, for the handshake digest and for encrypted storage only. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionCookie c && java.security.MessageDigest.isEqual(
        c.value.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII));
  }

  /** Constant, so that nothing derived from the secret leaks through hash-based collections. */
  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "SessionCookie[redacted]";
  }
}
