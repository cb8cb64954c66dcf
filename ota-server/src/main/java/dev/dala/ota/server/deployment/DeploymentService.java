package dev.dala.ota.server.deployment;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.server.org.ChannelEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import dev.dala.ota.server.release.ReleaseQueries;
import dev.dala.ota.signer.manifest.ApplyMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Deployments: a release on a channel with a staged rollout. A new deployment supersedes the
 * channel's live one. Every change is audited with its before and after state, and announced so
 * that every pod's check-in cache picks it up.
 */
@ApplicationScoped
public class DeploymentService {

  @Inject
  OtaConfig config;

  @Inject
  AppService apps;

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  @WithTransaction
  public Uni<DeploymentEntity> create(Caller caller, String appName, DeploymentViews.CreateDeployment request) {
    Validation.body(request);
    Validation v = new Validation().notNull(request.channel(), "channel").notNull(request.sequence(), "sequence");
    List<Wave> waves = RolloutSpec.waves(request.rollout(), v);
    FailureThreshold threshold = RolloutSpec.threshold(request.failureThreshold(), config.rollout(), v);
    ApplyMode mode = request.applyMode() == null ? null : ApplyMode.fromAtom(request.applyMode());
    v.require(request.applyMode() == null || mode != null, "apply_mode", "must be hot or next_start");
    v.orThrow();
    return apps.find(caller, appName).flatMap(app -> AppService.channelOf(app, request.channel())
        .flatMap(channel -> ReleaseQueries.bySequence(app.id, request.sequence())
            .flatMap(release -> deploy(caller, app, channel, release, waves, threshold,
                Boolean.TRUE.equals(request.mandatory()), mode == null ? release.applyMode : mode.atom()))));
  }

  /** Supersedes the channel's live deployment and starts a new one; call inside a transaction. */
  public Uni<DeploymentEntity> deploy(Caller caller, AppEntity app, ChannelEntity channel, ReleaseEntity release,
      List<Wave> waves, FailureThreshold threshold, boolean mandatory, String applyMode) {
    Instant now = Instant.now();
    DeploymentEntity d = new DeploymentEntity();
    d.id = UUID.randomUUID();
    d.appId = app.id;
    d.channelId = channel.id;
    d.releaseId = release.id;
    d.state = DeploymentState.ACTIVE.code();
    d.waves(waves);
    d.currentWave = 0;
    d.rolloutPercent = waves.get(0).percent();
    d.failureThresholdCount = threshold.count();
    d.failureThresholdRate = threshold.rate();
    d.failureMinSample = threshold.minSample();
    d.mandatory = mandatory;
    d.applyMode = applyMode;
    d.waveStartedAt = now;
    d.createdAt = now;
    d.updatedAt = now;
    return DeploymentEntity.update("state = 'superseded', updatedAt = ?1 where channelId = ?2 and state in "
            + DeploymentQueries.LIVE_STATES, now, channel.id)
        .flatMap(superseded -> d.<DeploymentEntity>persist())
        .call(() -> Panache.getSession().flatMap(s -> s.flush()))
        .call(saved -> audit.record(app.organisationId, caller.actor(), "deployment.create", "deployment",
            saved.id.toString(), null, DeploymentAudit.snapshot(saved)))
        .call(() -> changes.appChanged(app.id));
  }

  @WithTransaction
  public Uni<DeploymentEntity> update(Caller caller, String appName, UUID id, DeploymentViews.UpdateDeployment request) {
    Validation.body(request);
    Validation v = new Validation();
    List<Wave> waves = request.rollout() == null ? null : RolloutSpec.waves(request.rollout(), v);
    FailureThreshold threshold = request.failureThreshold() == null ? null
        : RolloutSpec.threshold(request.failureThreshold(), config.rollout(), v);
    v.orThrow();
    return change(caller, appName, id, "deployment.update", d -> {
      if (d.deploymentState() == DeploymentState.SUPERSEDED) {
        throw new OtaException(ErrorCode.INVALID_STATE, "a superseded deployment cannot change");
      }
      if (waves != null) {
        d.waves(waves);
        d.currentWave = Math.min(d.currentWave, waves.size() - 1);
        d.rolloutPercent = waves.get(d.currentWave).percent();
      }
      if (threshold != null) {
        d.failureThresholdCount = threshold.count();
        d.failureThresholdRate = threshold.rate();
        d.failureMinSample = threshold.minSample();
      }
      if (request.mandatory() != null) {
        d.mandatory = request.mandatory();
      }
    });
  }

  @WithTransaction
  public Uni<DeploymentEntity> pause(Caller caller, String appName, UUID id) {
    return change(caller, appName, id, "deployment.pause", d -> {
      require(d, DeploymentState.ACTIVE, "pause");
      d.state = DeploymentState.PAUSED.code();
    });
  }

  /** Resumes a paused or halted deployment; a halted wave starts counting failures afresh. */
  @WithTransaction
  public Uni<DeploymentEntity> resume(Caller caller, String appName, UUID id) {
    return change(caller, appName, id, "deployment.resume", d -> {
      DeploymentState state = d.deploymentState();
      if (state != DeploymentState.PAUSED && state != DeploymentState.HALTED) {
        throw new OtaException(ErrorCode.INVALID_STATE, "only a paused or halted deployment can resume; this one is "
            + state.code());
      }
      d.state = DeploymentState.ACTIVE.code();
      d.haltedReason = null;
      d.waveStartedAt = Instant.now();
    });
  }

  /** Moves a deployment to its next wave by hand. */
  @WithTransaction
  public Uni<DeploymentEntity> advance(Caller caller, String appName, UUID id) {
    return change(caller, appName, id, "deployment.advance", d -> {
      require(d, DeploymentState.ACTIVE, "advance");
      if (d.isLastWave()) {
        throw new OtaException(ErrorCode.INVALID_STATE, "the deployment is already in its last wave");
      }
      RolloutRules.nextWave(d, Instant.now());
    });
  }

  /** Deploys the release live on {@code fromChannel} to another channel. */
  @WithTransaction
  public Uni<DeploymentEntity> promote(Caller caller, String appName, String fromChannel, DeploymentViews.Promote request) {
    Validation.body(request);
    Validation v = new Validation().notNull(request.to(), "to");
    List<Wave> waves = RolloutSpec.waves(request.rollout(), v);
    FailureThreshold threshold = RolloutSpec.threshold(request.failureThreshold(), config.rollout(), v);
    v.require(!fromChannel.equals(request.to()), "to", "must differ from the channel promoted from");
    v.orThrow();
    return apps.find(caller, appName).flatMap(app -> AppService.channelOf(app, fromChannel)
        .flatMap(from -> DeploymentQueries.live(from.id)
            .onItem().ifNull().failWith(() -> new OtaException(ErrorCode.INVALID_STATE,
                "channel " + fromChannel + " has no live deployment to promote"))
            .flatMap(live -> AppService.channelOf(app, request.to())
                .flatMap(to -> ReleaseEntity.<ReleaseEntity>findById(live.releaseId)
                    .flatMap(release -> deploy(caller, app, to, release, waves, threshold,
                        Boolean.TRUE.equals(request.mandatory()), live.applyMode))))));
  }

  @WithSession
  public Uni<List<DeploymentEntity>> list(Caller caller, String appName) {
    return apps.find(caller, appName).flatMap(app -> DeploymentEntity.list("appId = ?1 order by createdAt desc", app.id));
  }

  @WithSession
  public Uni<DeploymentEntity> get(Caller caller, String appName, UUID id) {
    return apps.find(caller, appName).flatMap(app -> owned(app, id));
  }

  private Uni<DeploymentEntity> change(Caller caller, String appName, UUID id, String action,
      Consumer<DeploymentEntity> mutation) {
    return apps.find(caller, appName).flatMap(app -> owned(app, id)
        .flatMap(d -> Panache.getSession().flatMap(s -> s.lock(d, LockModeType.PESSIMISTIC_WRITE))
            .replaceWith(d))
        .flatMap(d -> {
          var before = DeploymentAudit.snapshot(d);
          mutation.accept(d);
          d.updatedAt = Instant.now();
          return audit.record(app.organisationId, caller.actor(), action, "deployment", d.id.toString(), before,
                  DeploymentAudit.snapshot(d))
              .call(() -> changes.appChanged(app.id))
              .replaceWith(d);
        }));
  }

  static Uni<DeploymentEntity> owned(AppEntity app, UUID id) {
    return DeploymentEntity.<DeploymentEntity>find("id = ?1 and appId = ?2", id, app.id).firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.DEPLOYMENT_NOT_FOUND, "deployment " + id));
  }

  private static void require(DeploymentEntity d, DeploymentState expected, String verb) {
    if (d.deploymentState() != expected) {
      throw new OtaException(ErrorCode.INVALID_STATE, "only an " + expected.code() + " deployment can " + verb
          + "; this one is " + d.state);
    }
  }

  static DeploymentViews.Deployment view(DeploymentEntity d, ChannelEntity channel, ReleaseEntity release,
      List<DeploymentViews.WaveStats> stats) {
    return new DeploymentViews.Deployment(d.id, channel.name, release.id, release.sequence, release.label, d.state,
        d.rolloutPercent, d.waves(), d.currentWave,
        new DeploymentViews.Threshold(d.failureThresholdCount, d.failureThresholdRate, d.failureMinSample),
        d.mandatory, d.applyMode, d.haltedReason, d.createdAt, d.updatedAt, stats);
  }
}
