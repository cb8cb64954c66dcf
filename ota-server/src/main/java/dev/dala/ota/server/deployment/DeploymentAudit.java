package dev.dala.ota.server.deployment;

import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a deployment the audit log records before and after a change. */
final class DeploymentAudit {

  private DeploymentAudit() {}

  static Map<String, Object> snapshot(DeploymentEntity d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", d.state);
    m.put("rollout_percent", d.rolloutPercent);
    m.put("current_wave", d.currentWave);
    m.put("waves", d.waves().stream().map(w -> {
      Map<String, Object> wave = new LinkedHashMap<>();
      wave.put("percent", w.percent());
      wave.put("advance_after", w.advanceAfter());
      return wave;
    }).toList());
    m.put("failure_threshold", Map.of("count", d.failureThresholdCount, "rate", d.failureThresholdRate,
        "min_sample", d.failureMinSample));
    m.put("mandatory", d.mandatory);
    if (d.haltedReason != null) {
      m.put("halted_reason", d.haltedReason);
    }
    return m;
  }
}
