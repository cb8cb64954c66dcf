package dev.dala.ota.server.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rollout's arithmetic, without a server. */
class RolloutLogicTest {

  @Test
  void bucketsAreStableAndSpreadEvenly() {
    UUID deployment = UUID.fromString("00000000-0000-0000-0000-000000000001");
    assertThat(Bucketing.bucket(deployment, "device-1")).isEqualTo(Bucketing.bucket(deployment, "device-1"));
    int[] deciles = new int[10];
    for (int i = 0; i < 100_000; i++) {
      deciles[Bucketing.bucket(deployment, "device-" + i) / 1000]++;
    }
    for (int count : deciles) {
      assertThat(count).isBetween(9_500, 10_500);
    }
  }

  @Test
  void aNewDeploymentShufflesTheFleet() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    long same = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Bucketing.within(Bucketing.bucket(a, "d" + i), 10) && Bucketing.within(Bucketing.bucket(b, "d" + i), 10)) {
        same++;
      }
    }
    // Independent 10% samples overlap in about 1% of the fleet, not 10%.
    assertThat(same).isBetween(50L, 200L);
  }

  @Test
  void aDeviceJoinsTheFirstWaveThatCoversIt() {
    List<Wave> waves = List.of(new Wave(1, 10), new Wave(10, 100), new Wave(100, null));
    assertThat(Bucketing.waveOf(0, waves)).isZero();
    assertThat(Bucketing.waveOf(99, waves)).isZero();
    assertThat(Bucketing.waveOf(100, waves)).isEqualTo(1);
    assertThat(Bucketing.waveOf(9_999, waves)).isEqualTo(2);
    assertThat(Bucketing.waveOf(5_000, List.of(new Wave(10, null)))).isEqualTo(-1);
  }

  @Test
  void thresholdsTripOnCountOrOnRateAfterTheSample() {
    FailureThreshold t = new FailureThreshold(10, 0.2, 20);
    assertThat(t.breach(9, 1000)).isNull();
    assertThat(t.breach(10, 1000)).contains("10 devices failed");
    assertThat(t.breach(5, 19)).as("under the sample size").isNull();
    assertThat(t.breach(4, 20)).contains("20%");
    assertThatThrownBy(() -> new FailureThreshold(0, 0.5, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
