package dev.dala.ota.signer.session;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Session ids and the device node names that carry them. A session id is 16 random bytes; the
 * device's node for that session is {@code dala_<32 lowercase hex>@<host>}, so the server finds
 * the session from the name a connecting node gives in its handshake.
 */
public final class SessionIds {

  public static final int BYTES = 16;
  public static final String NODE_PREFIX = "dala_";

  private static final HexFormat HEX = HexFormat.of();

  private SessionIds() {}

  public static byte[] generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] id = new byte[BYTES];
    random.nextBytes(id);
    return id;
  }

  public static String hex(byte[] sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (sessionId.length != BYTES) {
      throw new IllegalArgumentException("a session id is " + BYTES + " bytes");
    }
    return HEX.formatHex(sessionId);
  }

  /** The device's node name for the session, such as {@code dala_00ff…@device.invalid}. */
  public static String deviceNode(byte[] sessionId, String host) {
    Objects.requireNonNull(host, "host");
    return NODE_PREFIX + hex(sessionId) + "@" + host;
  }

  /** The session id (lowercase hex) a device node name carries, or empty when it is not one. */
  public static Optional<String> fromDeviceNode(String nodeName) {
    if (nodeName == null) {
      return Optional.empty();
    }
    int at = nodeName.indexOf('@');
    if (at != NODE_PREFIX.length() + 2 * BYTES || !nodeName.startsWith(NODE_PREFIX) || at == nodeName.length() - 1) {
      return Optional.empty();
    }
    String hex = nodeName.substring(NODE_PREFIX.length(), at);
    return isLowerHex(hex) ? Optional.of(hex) : Optional.empty();
  }

  /** Whether every character is {@code 0-9} or {@code a-f}: the only spelling ids and cookies have. */
  static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
