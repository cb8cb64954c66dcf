package dev.dala.ota.server.checkin;

import dev.dala.ota.server.common.Validation;
import dev.dala.ota.signer.manifest.AgentVersion;
import java.util.regex.Pattern;

/**
 * What a device says when it checks in. {@code sessionKey} is its fresh ephemeral X25519
 * public key for the distribution session (absent for tools).
 */
public record CheckinRequest(String channelKey, String installId, String platform, String baseFingerprint,
    String otpRelease, long currentSequence, String agentVersion, byte[] sessionKey) {

  private static final Pattern INSTALL_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
  private static final Pattern CHANNEL_KEY = Pattern.compile("ck_[A-Za-z0-9_-]{16,64}");
  private static final Pattern PLATFORM = Pattern.compile("ios|android|linux|macos");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,64}");
  private static final Pattern OTP = Pattern.compile("\\d{2}");

  /** Fails with every invalid field at once. */
  public CheckinRequest validated() {
    new Validation()
        .require(channelKey != null && CHANNEL_KEY.matcher(channelKey).matches(), "channel_key", "is not a channel key")
        .require(installId != null && INSTALL_ID.matcher(installId).matches(), "install_id",
            "must be 8-128 letters, digits, '.', '_', ':' or '-'")
        .require(platform != null && PLATFORM.matcher(platform).matches(), "platform", "must be ios, android, linux or macos")
        .require(baseFingerprint != null && FINGERPRINT.matcher(baseFingerprint).matches(), "base_fingerprint",
            "must be 1-64 lowercase hex digits")
        .require(otpRelease != null && OTP.matcher(otpRelease).matches(), "otp_release", "must be two digits")
        .require(currentSequence >= 0, "current_sequence", "must not be negative")
        .require(AgentVersion.isValid(agentVersion), "agent_version", "must be MAJOR.MINOR.PATCH")
        .require(sessionKey == null || sessionKey.length == 32, "session_key", "must be a 32-byte X25519 public key")
        .orThrow();
    return this;
  }
}
