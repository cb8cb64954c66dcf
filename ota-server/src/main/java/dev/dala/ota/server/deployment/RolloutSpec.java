package dev.dala.ota.server.deployment;

import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.config.OtaConfig;
import java.util.ArrayList;
import java.util.List;

/** Turns the API's rollout and threshold requests into validated waves and thresholds. */
final class RolloutSpec {

  static final int MAX_WAVES = 20;

  private RolloutSpec() {}

  static List<Wave> waves(DeploymentViews.Rollout rollout, Validation v) {
    if (rollout == null || (rollout.percent() == null && rollout.waves() == null)) {
      return List.of(new Wave(100, null));
    }
    if (rollout.percent() != null && rollout.waves() != null) {
      v.require(false, "rollout", "give percent or waves, not both");
      return List.of();
    }
    if (rollout.percent() != null) {
      boolean ok = rollout.percent() >= 0 && rollout.percent() <= 100;
      v.require(ok, "rollout.percent", "must be 0..100");
      return ok ? List.of(new Wave(rollout.percent(), null)) : List.of();
    }
    List<DeploymentViews.WaveSpec> specs = rollout.waves();
    v.require(!specs.isEmpty() && specs.size() <= MAX_WAVES, "rollout.waves", "must hold 1.." + MAX_WAVES + " waves");
    List<Wave> waves = new ArrayList<>();
    int previous = -1;
    for (int i = 0; i < specs.size(); i++) {
      DeploymentViews.WaveSpec spec = specs.get(i);
      String field = "rollout.waves[" + i + "]";
      boolean ok = spec != null && spec.percent() != null && spec.percent() > previous && spec.percent() <= 100;
      v.require(ok, field + ".percent", "must rise from wave to wave and be at most 100");
      v.require(spec == null || spec.advanceAfter() == null || spec.advanceAfter() >= 1, field + ".advance_after",
          "must be at least 1");
      if (ok && (spec.advanceAfter() == null || spec.advanceAfter() >= 1)) {
        waves.add(new Wave(spec.percent(), i == specs.size() - 1 ? null : spec.advanceAfter()));
        previous = spec.percent();
      }
    }
    return waves;
  }

  static FailureThreshold threshold(DeploymentViews.Threshold t, OtaConfig.Rollout defaults, Validation v) {
    int count = t == null || t.count() == null ? defaults.failureThresholdCount() : t.count();
    double rate = t == null || t.rate() == null ? defaults.failureThresholdRate() : t.rate();
    int minSample = t == null || t.minSample() == null ? defaults.failureMinSample() : t.minSample();
    v.require(count >= 1, "failure_threshold.count", "must be at least 1");
    v.require(rate > 0 && rate <= 1, "failure_threshold.rate", "must be in (0, 1]");
    v.require(minSample >= 1, "failure_threshold.min_sample", "must be at least 1");
    return count >= 1 && rate > 0 && rate <= 1 && minSample >= 1 ? new FailureThreshold(count, rate, minSample) : null;
  }
}
