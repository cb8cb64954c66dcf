package dev.dala.ota.server.base;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies for base releases. */
public final class BaseViews {

  private BaseViews() {}

  /** What release-tooling's fingerprint command prints, and what it registers. */
  public record RegisterBase(String platform, String otpRelease, String ertsVersion, String elixirVersion,
      List<String> staticNifs, Map<String, String> moduleMd5s, String fingerprint) {}

  public record Base(UUID id, String fingerprint, String platform, String otpRelease, String ertsVersion,
      String elixirVersion, List<String> staticNifs, int moduleCount, Instant createdAt) {
    static Base of(BaseReleaseEntity e) {
      return new Base(e.id, e.fingerprint, e.platform, e.otpRelease, e.ertsVersion, e.elixirVersion,
          List.of(e.staticNifs), e.moduleMd5s.size(), e.createdAt);
    }
  }
}
