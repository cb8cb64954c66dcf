package dev.dala.ota.server.checkin;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What a check-in needs of a release, held in memory: releases never change once written. */
public record ReleaseSnapshot(UUID id, long sequence, String label, byte[] envelope, Map<String, String> moduleHashes,
    Set<String> baseKeys, String minAgentVersion, String applyMode, String bundleSha256, long bundleSize) {

  /** How a base is matched: platform, OTP release and fingerprint together. */
  public static String baseKey(String platform, String otpRelease, String fingerprint) {
    return platform + "|" + otpRelease + "|" + fingerprint;
  }
}
