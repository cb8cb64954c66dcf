package dev.dala.ota.server.deployment;

import java.time.Instant;

/**
 * The automatic rules of a rollout: a wave advances once enough of its devices confirmed the
 * release, and a deployment halts once a wave's failures cross its threshold.
 */
public final class RolloutRules {

  /** Distinct devices of one wave by outcome since the wave (re)started. */
  public record WaveCounts(long attempted, long failed, long confirmed) {}

  private RolloutRules() {}

  /** Whether the deployment's current wave should advance, given its counts. */
  public static boolean shouldAdvance(DeploymentEntity d, WaveCounts counts) {
    if (d.deploymentState() != DeploymentState.ACTIVE || d.isLastWave()) {
      return false;
    }
    Integer needed = d.wave().advanceAfter();
    return needed != null && counts.confirmed() >= needed && d.threshold().breach(counts.failed(), counts.attempted()) == null;
  }

  /** Why the deployment should halt now, or null. */
  public static String haltReason(DeploymentEntity d, WaveCounts counts) {
    if (d.deploymentState() != DeploymentState.ACTIVE) {
      return null;
    }
    String breach = d.threshold().breach(counts.failed(), counts.attempted());
    return breach == null ? null : "wave " + (d.currentWave + 1) + ": " + breach;
  }

  /** Moves to the next wave now (a confirmation crossed the wave's mark). */
  public static void advanceNow(DeploymentEntity d) {
    nextWave(d, Instant.now());
    d.updatedAt = Instant.now();
  }

  /** Halts now for {@code reason}. */
  public static void haltNow(DeploymentEntity d, String reason) {
    halt(d, reason, Instant.now());
  }

  static void nextWave(DeploymentEntity d, Instant now) {
    // Failures keep counting from the same point; only a resume after a halt starts afresh.
    d.currentWave++;
    d.rolloutPercent = d.wave().percent();
  }

  static void halt(DeploymentEntity d, String reason, Instant now) {
    d.state = DeploymentState.HALTED.code();
    d.haltedReason = reason;
    d.updatedAt = now;
  }
}
