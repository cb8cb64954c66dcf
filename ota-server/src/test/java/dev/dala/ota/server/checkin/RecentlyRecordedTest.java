package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentlyRecordedTest {

  @Test
  void skipsTheSameStateWithinTheResolutionAndNothingElse() {
    RecentlyRecorded recent = new RecentlyRecorded(300);
    long key = RecentlyRecorded.key(UUID.randomUUID(), "device-1", 0);
    assertThat(recent.seenRecently(key, 7, 1_000)).isFalse();
    assertThat(recent.seenRecently(key, 7, 1_299)).isTrue();
    assertThat(recent.seenRecently(key, 8, 1_299)).as("the state changed").isFalse();
    assertThat(recent.seenRecently(key, 8, 1_600)).as("the resolution passed").isFalse();
  }

  @Test
  void holdsAMillionDevicesAndForgetsOnlyByStartingAStripeOver() {
    RecentlyRecorded recent = new RecentlyRecorded(300);
    UUID app = UUID.randomUUID();
    for (int i = 0; i < 1_000_000; i++) {
      recent.seenRecently(RecentlyRecorded.key(app, "device-" + i, 0), 1, 10);
    }
    int remembered = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (recent.seenRecently(RecentlyRecorded.key(app, "device-" + i, 0), 1, 20)) {
        remembered++;
      }
    }
    assertThat(remembered).isGreaterThan(900_000);
  }
}
