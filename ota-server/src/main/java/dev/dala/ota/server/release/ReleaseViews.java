package dev.dala.ota.server.release;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Response bodies for releases. */
public final class ReleaseViews {

  private ReleaseViews() {}

  public record Module(String name, String sha256, long size, String beamMd5) {}

  public record Bundle(String sha256, long size) {}

  public record Release(UUID id, String app, long sequence, String label, String kind, String applyMode,
      String minAgentVersion, List<Module> modules, List<String> bases, Bundle bundle, UUID republishedFrom,
      String createdBy, Instant createdAt, Instant expiresAt) {}

  /** A release in a list: without its modules. */
  public record Summary(UUID id, long sequence, String label, String kind, int moduleCount, Instant createdAt) {}
}
