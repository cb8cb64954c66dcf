package dev.dala.ota.server.session;

import dev.dala.ota.server.support.TestDevice;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.session.SessionCookie;
import dev.dala.ota.signer.session.SessionTranscript;
import dev.dala.ota.signer.trust.SignedDocument;

/**
 * The session a check-in answer offered, read the way the agent reads it, with the cookie the
 * device derives from its own X25519 key.
 */
record OfferedSession(byte[] id, String deviceNode, String serverNode, long expiresAt, long sequence, String cookie) {

  static OfferedSession checkIn(TestDevice device) throws Exception {
    SignedDocument answer = device.checkinEtf();
    TermFields payload = TestDevice.payload(answer);
    TermFields update = TermFields.of(payload.term("update"), "update");
    TermFields session = TermFields.of(update.term("session"), "session");
    byte[] id = session.binary("id", 16);
    String deviceNode = session.utf8("device_node", 255);
    String serverNode = session.utf8("server_node", 255);
    long expiresAt = session.integer("expires_at");
    SessionTranscript transcript = new SessionTranscript(device.installId, device.sessionKeys.publicKey(),
        session.binary("server_key", 32), id, deviceNode, serverNode, expiresAt);
    SessionCookie cookie = SessionCookie.deriveForDevice(device.sessionKeys, transcript).orElseThrow();
    return new OfferedSession(id, deviceNode, serverNode, expiresAt, update.integer("sequence"), cookie.value());
  }
}
