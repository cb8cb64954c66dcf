package dev.dala.ota.signer.manifest;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a device knows when it judges a manifest: its app, the sequence it runs now, its base
 * (null when the check should not consider it), its agent version (null likewise), the time,
 * and how far ahead of its clock an issue time may be.
 */
public record DeviceState(
    String app, long currentSequence, CompatibleBase base, String agentVersion, Instant now, Duration clockSkew) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  public DeviceState {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(clockSkew, "clockSkew");
  }

  /** A state that checks only signatures, times and the sequence against {@code currentSequence}. */
  public static DeviceState anyDevice(long currentSequence, Instant now) {
    return new DeviceState(null, currentSequence, null, null, now, DEFAULT_CLOCK_SKEW);
  }
}
