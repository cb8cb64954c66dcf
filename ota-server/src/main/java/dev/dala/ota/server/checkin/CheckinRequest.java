package dev.dala.ota.server.checkin;

import dev.dala.ota.server.common.Validation;
import dev.dala.ota.signer.manifest.AgentVersion;

/**
 * What a device says when it checks in. {@code sessionKey} is its fresh ephemeral X25519
 * public key for the distribution session (absent for tools).
 */
public record CheckinRequest(String channelKey, String installId, String platform, String baseFingerprint,
    String otpRelease, long currentSequence, String agentVersion, byte[] sessionKey) {

  /** Fails with every invalid field at once. Hand-written checks: this runs on every check-in. */
  public CheckinRequest validated() {
    boolean channelOk = channelKey != null && channelKey.startsWith("ck_") && channelKey.length() >= 19
        && channelKey.length() <= 67 && allOf(channelKey, 3, "_-");
    boolean installOk = installId != null && installId.length() >= 8 && installId.length() <= 128 && allOf(installId, 0, "._:-");
    boolean platformOk = "ios".equals(platform) || "android".equals(platform) || "linux".equals(platform)
        || "macos".equals(platform);
    boolean fingerprintOk = baseFingerprint != null && !baseFingerprint.isEmpty() && baseFingerprint.length() <= 64
        && lowerHex(baseFingerprint);
    boolean otpOk = otpRelease != null && otpRelease.length() == 2 && Character.isDigit(otpRelease.charAt(0))
        && Character.isDigit(otpRelease.charAt(1));
    boolean agentOk = AgentVersion.isValid(agentVersion);
    if (channelOk && installOk && platformOk && fingerprintOk && otpOk && agentOk && currentSequence >= 0
        && (sessionKey == null || sessionKey.length == 32)) {
      return this;
    }
    new Validation()
        .require(channelOk, "channel_key", "is not a channel key")
        .require(installOk, "install_id", "must be 8-128 letters, digits, '.', '_', ':' or '-'")
        .require(platformOk, "platform", "must be ios, android, linux or macos")
        .require(fingerprintOk, "base_fingerprint", "must be 1-64 lowercase hex digits")
        .require(otpOk, "otp_release", "must be two digits")
        .require(currentSequence >= 0, "current_sequence", "must not be negative")
        .require(agentOk, "agent_version", "must be MAJOR.MINOR.PATCH")
        .require(sessionKey == null || sessionKey.length == 32, "session_key", "must be a 32-byte X25519 public key")
        .orThrow();
    return this;
  }

  private static boolean allOf(String s, int from, String extra) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || extra.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
