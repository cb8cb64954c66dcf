package dev.dala.ota.signer.vectors;

import dev.dala.ota.signer.session.SessionCookie;
import dev.dala.ota.signer.session.SessionIds;
import dev.dala.ota.signer.session.SessionKeyPair;
import dev.dala.ota.signer.session.SessionTranscript;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Golden rows for the session cookie derivation: the agent derives the same cookie from the same
 * inputs, and the NIF's X25519 refuses the same low-order keys. Secrets come from public seeds.
 */
final class SessionVectors {

  static final String HEADER = "# name\tdevice_secret\tdevice_public\tserver_secret\tserver_public\tsession_id"
      + "\tinstall_id\tdevice_node\tserver_node\texpires_at\tshared_secret\ttranscript_sha256\tcookie\n";

  private static final HexFormat HEX = HexFormat.of();

  private SessionVectors() {}

  static String rows() {
    SessionKeyPair device = SessionKeyPair.fromSecret(seed("session device"));
    SessionKeyPair server = SessionKeyPair.fromSecret(seed("session server"));
    byte[] sessionId = java.util.Arrays.copyOf(seed("session id"), SessionIds.BYTES);
    StringBuilder out = new StringBuilder(HEADER);
    out.append(row("good", device, device.publicKey(), server, sessionId, "install-0001", "ota@updates.example.com",
        1_800_000_000L));
    out.append(row("good-long-install-id", device, device.publicKey(), server, sessionId,
        "ios:0f8e6a2c-5b1d-4e7a-9c3b-2a1f0e9d8c7b", "ota@127.0.0.1", 2_000_000_123L));
    // Low-order points: every secret maps them to zero, so the agreement must be refused.
    for (String lowOrder : List.of("0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")) {
      out.append(row("low-order-" + lowOrder.substring(0, 4), device, HEX.parseHex(lowOrder), server, sessionId,
          "install-0001", "ota@updates.example.com", 1_800_000_000L));
    }
    return out.toString();
  }

  private static String row(String name, SessionKeyPair device, byte[] devicePublic, SessionKeyPair server,
      byte[] sessionId, String installId, String serverNode, long expiresAt) {
    String deviceNode = SessionIds.deviceNode(sessionId, "device.invalid");
    SessionTranscript transcript = new SessionTranscript(installId, devicePublic, server.publicKey(), sessionId,
        deviceNode, serverNode, expiresAt);
    Optional<byte[]> shared = server.sharedSecret(devicePublic);
    String sharedHex = shared.map(HEX::formatHex).orElse("rejected");
    String cookie = shared.map(s -> SessionCookie.derive(s, transcript).value()).orElse("rejected");
    return String.join("\t", name, HEX.formatHex(device.secret()), HEX.formatHex(devicePublic),
        HEX.formatHex(server.secret()), HEX.formatHex(server.publicKey()), HEX.formatHex(sessionId), installId,
        deviceNode, serverNode, Long.toString(expiresAt), sharedHex, HEX.formatHex(transcript.hash()), cookie) + "\n";
  }

  private static byte[] seed(String name) {
    return TestVectorSet.sha256(("dala-ota test vector " + name).getBytes(StandardCharsets.UTF_8));
  }
}
