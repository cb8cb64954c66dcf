package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.deployment.DeploymentState;
import dev.dala.ota.server.deployment.Wave;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every branch of the check-in decision, from snapshots alone. */
class CheckinDeciderTest {

  private static final String BASE = ReleaseSnapshot.baseKey("ios", "29", "abc");
  private static final ReleaseSnapshot V3 = release(3, Map.of("a", "1", "b", "2"));

  private static ReleaseSnapshot release(long sequence, Map<String, String> modules) {
    return new ReleaseSnapshot(UUID.randomUUID(), sequence, "v" + sequence, new byte[0], modules, Set.of(BASE), "0.2.0",
        "hot", "sha", 10);
  }

  private static ChannelSnapshot channel(DeploymentState state, int percent) {
    return new ChannelSnapshot(UUID.randomUUID(), "production", UUID.randomUUID(), "app",
        new ChannelSnapshot.Live(UUID.fromString("11111111-2222-3333-4444-555555555555"), state, percent,
            List.of(new Wave(percent, null)), true, "hot", V3));
  }

  private static CheckinRequest device(long sequence, String otp, String agent) {
    return new CheckinRequest("ck_0123456789abcdef0123", "device-000001", "ios", "abc", otp, sequence, agent, null);
  }

  @Test
  void explainsEveryNo() {
    ChannelSnapshot none = new ChannelSnapshot(UUID.randomUUID(), "p", UUID.randomUUID(), "app", null);
    assertThat(CheckinDecider.decide(none, device(0, "29", "0.2.0"), null).reason()).isEqualTo("no_deployment");
    assertThat(CheckinDecider.decide(channel(DeploymentState.PAUSED, 100), device(0, "29", "0.2.0"), null).reason())
        .isEqualTo("deployment_paused");
    assertThat(CheckinDecider.decide(channel(DeploymentState.HALTED, 100), device(0, "29", "0.2.0"), null).reason())
        .isEqualTo("deployment_halted");
    assertThat(CheckinDecider.decide(channel(DeploymentState.ACTIVE, 100), device(3, "29", "0.2.0"), null).reason())
        .isEqualTo("up_to_date");
    assertThat(CheckinDecider.decide(channel(DeploymentState.ACTIVE, 100), device(0, "28", "0.2.0"), null).reason())
        .isEqualTo("incompatible_base");
    assertThat(CheckinDecider.decide(channel(DeploymentState.ACTIVE, 100), device(0, "29", "0.1.9"), null).reason())
        .isEqualTo("agent_too_old");
    assertThat(CheckinDecider.decide(channel(DeploymentState.ACTIVE, 0), device(0, "29", "0.2.0"), null).reason())
        .isEqualTo("not_in_rollout");
  }

  @Test
  void anUpdateCarriesTheDeltaAgainstTheDevicesRelease() {
    Decision d = CheckinDecider.decide(channel(DeploymentState.ACTIVE, 100), device(2, "29", "0.2.0"),
        release(2, Map.of("a", "1", "b", "old", "gone", "x")));
    assertThat(d.isUpdate()).isTrue();
    assertThat(d.delta()).containsExactly("b");
    assertThat(d.wave()).isZero();
    assertThat(CheckinDecider.decide(channel(DeploymentState.ACTIVE, 100), device(1, "29", "0.2.0"), null).delta())
        .containsExactly("a", "b");
  }
}
