package dev.dala.ota.server.session;

import java.time.Instant;
import java.util.UUID;

/** A delivery session as the database holds it, with the channel key its events are filed under. */
public record StoredSession(byte[] id, String deviceNode, UUID appId, UUID channelId, String channelKey, UUID releaseId,
    UUID deploymentId, String installId, long sequence, Instant expiresAt, byte[] cookieCiphertext) {

  /** The session id in hex, for logs and the API; it is not a secret. */
  public String idHex() {
    return java.util.HexFormat.of().formatHex(id);
  }
}
