package dev.dala.ota.signer.session;

import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlTuple;
import dev.dala.ota.signer.etf.EtfEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Everything both sides know about one session when the device reads the check-in answer. The
 * cookie derivation hashes it in, so a cookie is bound to this install, these two keys, this
 * session id, both node names and the expiry: change any of them and the cookie changes.
 *
 * <p>The bytes hashed are the term {@code {<<"dala-ota/session/v1">>, InstallId, DevicePublic,
 * ServerPublic, SessionId, DeviceNode, ServerNode, ExpiresAt}} in the External Term Format,
 * binaries and an integer only, which every OTP release encodes identically with
 * {@code term_to_binary/1}.
 */
public record SessionTranscript(String installId, byte[] devicePublic, byte[] serverPublic, byte[] sessionId,
    String deviceNode, String serverNode, long expiresAt) {

  public static final String LABEL = "dala-ota/session/v1";

  public SessionTranscript {
    Objects.requireNonNull(installId, "installId");
    Objects.requireNonNull(deviceNode, "deviceNode");
    Objects.requireNonNull(serverNode, "serverNode");
    requireLength(devicePublic, SessionKeyPair.KEY_BYTES, "devicePublic");
    requireLength(serverPublic, SessionKeyPair.KEY_BYTES, "serverPublic");
    requireLength(sessionId, SessionIds.BYTES, "sessionId");
    devicePublic = devicePublic.clone();
    serverPublic = serverPublic.clone();
    sessionId = sessionId.clone();
  }

  @Override
  public byte[] devicePublic() {
    return devicePublic.clone();
  }

  @Override
  public byte[] serverPublic() {
    return serverPublic.clone();
  }

  @Override
  public byte[] sessionId() {
    return sessionId.clone();
  }

  /** The ETF bytes that are hashed. */
  public byte[] encode() {
    return EtfEncoder.encode(ErlTuple.of(
        ErlBinary.utf8(LABEL),
        ErlBinary.utf8(installId),
        new ErlBinary(devicePublic.clone()),
        new ErlBinary(serverPublic.clone()),
        new ErlBinary(sessionId.clone()),
        ErlBinary.utf8(deviceNode),
        ErlBinary.utf8(serverNode),
        ErlInteger.of(expiresAt)));
  }

  /** SHA-256 of {@link #encode()}. */
  public byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(encode());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void requireLength(byte[] value, int length, String name) {
    Objects.requireNonNull(value, name);
    if (value.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes");
    }
  }
}
