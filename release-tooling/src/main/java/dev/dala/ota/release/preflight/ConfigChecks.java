package dev.dala.ota.release.preflight;

import dev.dala.ota.release.config.AgentConfig;

/** The agent config checks APK and IPA preflight share. */
final class ConfigChecks {

  private ConfigChecks() {}

  static void check(AgentConfig config, String platform, String path, Findings findings) {
    if (config.rootKeys().isEmpty()) {
      findings.error(Check.PINNED_ROOT, path, "no root key is pinned; the agent could verify nothing");
    }
    if (!config.baseFingerprint().matches("[0-9a-f]{32}")) {
      findings.error(Check.BASE_FINGERPRINT, path, "the base fingerprint \"" + config.baseFingerprint()
          + "\" is not 32 hex digits");
    }
    if (!config.platform().equals(platform)) {
      findings.error(Check.AGENT_CONFIG, path, "the config is for " + config.platform() + ", not " + platform);
    }
    for (String problem : config.problems()) {
      if (!problem.startsWith("at least one") && !problem.startsWith("base fingerprint")
          && !problem.startsWith("platform")) {
        findings.error(Check.AGENT_CONFIG, path, problem);
      }
    }
  }
}
