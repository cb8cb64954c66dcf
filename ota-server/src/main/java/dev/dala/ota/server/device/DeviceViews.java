package dev.dala.ota.server.device;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Response bodies for devices and their events. */
public final class DeviceViews {

  private DeviceViews() {}

  public record Device(String installId, String channel, String platform, String baseFingerprint, String otpRelease,
      long currentSequence, String agentVersion, List<String> tags, Instant firstSeen, Instant lastSeen) {}

  public record DeviceDetail(Device device, List<Event> events) {}

  public record Event(long id, String installId, UUID releaseId, UUID deploymentId, Integer wave, String kind,
      String reason, Long bytes, Instant createdAt) {}
}
