package dev.dala.ota.server.deployment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies for deployments. */
public final class DeploymentViews {

  private DeploymentViews() {}

  /** A plain percentage, or waves; neither means everyone at once. */
  public record Rollout(Integer percent, List<WaveSpec> waves) {}

  public record WaveSpec(Integer percent, Integer advanceAfter) {}

  public record Threshold(Integer count, Double rate, Integer minSample) {}

  public record CreateDeployment(String channel, Long sequence, Rollout rollout, Threshold failureThreshold,
      Boolean mandatory, String applyMode) {}

  public record UpdateDeployment(Rollout rollout, Threshold failureThreshold, Boolean mandatory) {}

  /** Deploys the release live on one channel to another. */
  public record Promote(String to, Rollout rollout, Threshold failureThreshold, Boolean mandatory) {}

  /** Republishes an earlier release's content under a new sequence and deploys it. */
  public record Rollback(Long toSequence, Rollout rollout, Boolean mandatory) {}

  public record Deployment(UUID id, String channel, UUID releaseId, long sequence, String label, String state,
      int rolloutPercent, List<Wave> waves, int currentWave, Threshold failureThreshold, boolean mandatory,
      String applyMode, String haltedReason, Instant createdAt, Instant updatedAt, List<WaveStats> stats) {}

  /** Distinct devices per event kind in one wave. */
  public record WaveStats(int wave, long offered, long downloaded, long applied, long confirmed, long failed,
      long rolledBack) {}
}
