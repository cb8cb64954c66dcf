package dev.dala.ota.server.device;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.checkin.ChannelSnapshot;
import dev.dala.ota.server.checkin.DecisionCache;
import dev.dala.ota.server.checkin.DeviceActivity;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.deployment.Bucketing;
import dev.dala.ota.server.deployment.DeploymentEntity;
import dev.dala.ota.server.deployment.DeploymentQueries;
import dev.dala.ota.server.deployment.DeploymentState;
import dev.dala.ota.server.deployment.RolloutRules;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Map;

/**
 * Records what devices report and applies the rollout's automatic rules in the same
 * transaction: every failure re-evaluates the reporting device's wave against the failure
 * threshold and halts the deployment when it is crossed; every confirmation may advance the
 * current wave. Both are audited as actions of the system.
 */
@ApplicationScoped
public class EventService {

  @Inject
  DecisionCache cache;

  @Inject
  DeviceActivity activity;

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  @Inject
  dev.dala.ota.server.common.OtaMetrics metrics;

  /** Records the event; completes with true when it changed the deployment's state. */
  public Uni<Boolean> record(DeviceEvent event) {
    EventKind kind = event.validatedKind();
    metrics.event(kind.code());
    return cache.channel(event.channelKey()).flatMap(channel -> {
      if (channel == null) {
        throw new OtaException(ErrorCode.CHANNEL_NOT_FOUND, "no channel has this channel key");
      }
      return device(channel, event.installId())
          .flatMap(deviceId -> Panache.withTransaction(() -> write(channel, deviceId, event, kind)));
    }).invoke(changed -> {
      if (changed) {
        cache.invalidateAll();
      }
    });
  }

  /** The device's id. */
  private Uni<java.util.UUID> device(ChannelSnapshot channel, String installId) {
    return activity.findFlushing(() -> Panache.withSession(() -> DeviceEntity.byInstallId(channel.appId(), installId)
            .map(d -> d == null ? null : d.id)))
        .onItem().ifNull().failWith(() -> new OtaException(ErrorCode.DEVICE_NOT_FOUND,
            "a device reports only after it has checked in"));
  }

  private Uni<Boolean> write(ChannelSnapshot channel, java.util.UUID deviceId, DeviceEvent event, EventKind kind) {
    return ReleaseEntity.<ReleaseEntity>find("appId = ?1 and sequence = ?2", channel.appId(), event.sequence())
        .firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.RELEASE_NOT_FOUND, "release " + event.sequence()))
        .flatMap(release -> DeploymentEntity.<DeploymentEntity>find(
                "channelId = ?1 and releaseId = ?2 order by createdAt desc", channel.channelId(), release.id)
            .firstResult()
            .flatMap(d -> {
              Integer wave = waveOf(d, event.installId());
              return insert(channel, deviceId, release, d, wave, event, kind)
                  .flatMap(inserted -> inserted && d != null && wave != null ? applyRules(channel, d.id, wave, kind)
                      : Uni.createFrom().item(false));
            }));
  }

  /** The wave the device belongs to in {@code d}, by its bucket; null without a deployment. */
  private static Integer waveOf(DeploymentEntity d, String installId) {
    if (d == null) {
      return null;
    }
    int w = Bucketing.waveOf(Bucketing.bucket(d.id, installId), d.waves());
    return w < 0 ? null : w;
  }

  private Uni<Boolean> insert(ChannelSnapshot channel, java.util.UUID deviceId, ReleaseEntity release, DeploymentEntity d,
      Integer wave, DeviceEvent event, EventKind kind) {
    return Panache.getSession().flatMap(s -> s.createNativeQuery(
            "insert into install_event (app_id, device_id, release_id, deployment_id, wave, kind, reason, bytes, created_at)"
                + " values (:app, :device, :release, :deployment, :wave, :kind, :reason, :bytes, :at)"
                + " on conflict (device_id, release_id, kind) where kind in ('offered', 'confirmed') do nothing")
        .setParameter("app", channel.appId())
        .setParameter("device", deviceId)
        .setParameter("release", release.id)
        .setParameter("deployment", d == null ? null : d.id)
        .setParameter("wave", wave)
        .setParameter("kind", kind.code())
        .setParameter("reason", event.reason())
        .setParameter("bytes", event.bytes())
        .setParameter("at", Instant.now())
        .executeUpdate())
        .map(count -> count > 0);
  }

  private Uni<Boolean> applyRules(ChannelSnapshot channel, java.util.UUID deploymentId, int wave, EventKind kind) {
    if (!kind.isFailure() && kind != EventKind.CONFIRMED) {
      return Uni.createFrom().item(false);
    }
    return DeploymentEntity.<DeploymentEntity>findById(deploymentId, LockModeType.PESSIMISTIC_WRITE).flatMap(d -> {
      if (d.deploymentState() != DeploymentState.ACTIVE || (kind == EventKind.CONFIRMED && wave != d.currentWave)) {
        return Uni.createFrom().item(false);
      }
      return DeploymentQueries.waveCounts(d, wave).flatMap(counts -> {
        Map<String, Object> before = Map.of("state", d.state, "current_wave", d.currentWave);
        if (kind.isFailure()) {
          String reason = RolloutRules.haltReason(d, counts);
          if (reason == null) {
            return Uni.createFrom().item(false);
          }
          RolloutRules.haltNow(d, reason);
          metrics.halted();
          return systemChange(channel, d, "deployment.halt", before);
        }
        if (!RolloutRules.shouldAdvance(d, counts)) {
          return Uni.createFrom().item(false);
        }
        RolloutRules.advanceNow(d);
        metrics.advanced();
        return systemChange(channel, d, "deployment.advance", before);
      });
    });
  }

  private Uni<Boolean> systemChange(ChannelSnapshot channel, DeploymentEntity d, String action, Map<String, Object> before) {
    return AppEntity.<AppEntity>findById(channel.appId())
        .flatMap(app -> audit.record(app.organisationId, AuditLog.SYSTEM, action, "deployment", d.id.toString(), before,
            Map.of("state", d.state, "current_wave", d.currentWave, "reason",
                d.haltedReason == null ? "wave confirmed" : d.haltedReason)))
        .call(() -> changes.appChanged(channel.appId()))
        .replaceWith(true);
  }
}
