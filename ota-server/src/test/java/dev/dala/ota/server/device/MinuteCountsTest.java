package dev.dala.ota.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MinuteCountsTest {

  @Test
  void countsPerKeyAndStartsOverEachMinute() {
    MinuteCounts counts = new MinuteCounts();
    long a = MinuteCounts.hash("device-a");
    long b = MinuteCounts.hash("device-b");
    assertThat(counts.increment(a, 100)).isEqualTo(1);
    assertThat(counts.increment(a, 100)).isEqualTo(2);
    assertThat(counts.increment(b, 100)).isEqualTo(1);
    assertThat(counts.increment(a, 101)).isEqualTo(1);
  }
}
