package dev.dala.ota.server.deployment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A release on a channel, with its rollout. */
@Entity
@Table(name = "deployment")
public class DeploymentEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "app_id")
  public UUID appId;

  @Column(name = "channel_id")
  public UUID channelId;

  @Column(name = "release_id")
  public UUID releaseId;

  public String state;

  /** The share of the fleet the current wave covers. */
  @Column(name = "rollout_percent")
  public int rolloutPercent;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "waves")
  public WavePlan plan;

  @Column(name = "current_wave")
  public int currentWave;

  @Column(name = "failure_threshold_count")
  public int failureThresholdCount;

  @Column(name = "failure_threshold_rate")
  public double failureThresholdRate;

  @Column(name = "failure_min_sample")
  public int failureMinSample;

  public boolean mandatory;

  @Column(name = "apply_mode")
  public String applyMode;

  @Column(name = "halted_reason")
  public String haltedReason;

  @Column(name = "wave_started_at")
  public Instant waveStartedAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public DeploymentState deploymentState() {
    return DeploymentState.parse(state);
  }

  public FailureThreshold threshold() {
    return new FailureThreshold(failureThresholdCount, failureThresholdRate, failureMinSample);
  }

  public List<Wave> waves() {
    return plan.waves();
  }

  public void waves(List<Wave> waves) {
    plan = new WavePlan(waves);
  }

  public Wave wave() {
    return waves().get(currentWave);
  }

  public boolean isLastWave() {
    return currentWave >= waves().size() - 1;
  }
}
