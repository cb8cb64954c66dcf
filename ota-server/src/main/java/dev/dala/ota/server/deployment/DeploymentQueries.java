package dev.dala.ota.server.deployment;

import dev.dala.ota.server.org.ChannelEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/** Reads for deployment views and rules; every method needs an open session. */
public final class DeploymentQueries {

  /** The states in which a deployment still holds its channel, as a JPQL list. */
  static final String LIVE_STATES = "('active', 'paused', 'halted')";

  private DeploymentQueries() {}

  /** The channel's live deployment: active, paused or halted; null when it has none. */
  public static Uni<DeploymentEntity> live(UUID channelId) {
    return DeploymentEntity.<DeploymentEntity>find("channelId = ?1 and state in " + LIVE_STATES, channelId)
        .firstResult();
  }

  /** The view of a deployment, with per-wave counts when {@code withStats}. */
  public static Uni<DeploymentViews.Deployment> view(DeploymentEntity d, boolean withStats) {
    return ChannelEntity.<ChannelEntity>findById(d.channelId).flatMap(channel ->
        ReleaseEntity.<ReleaseEntity>findById(d.releaseId).flatMap(release -> (withStats ? stats(d.id)
            : Uni.createFrom().item(List.<DeploymentViews.WaveStats>of()))
            .map(stats -> DeploymentService.view(d, channel, release, stats))));
  }

  /** Distinct devices per wave and kind of event. */
  public static Uni<List<DeploymentViews.WaveStats>> stats(UUID deploymentId) {
    return Panache.getSession().flatMap(s -> s.createNativeQuery(
            "select coalesce(wave, -1), kind, count(distinct device_id) from install_event"
                + " where deployment_id = :d group by wave, kind", Object[].class)
        .setParameter("d", deploymentId)
        .getResultList())
        .map(rows -> {
          TreeMap<Integer, long[]> byWave = new TreeMap<>();
          for (Object[] row : rows) {
            long[] counts = byWave.computeIfAbsent(((Number) row[0]).intValue(), w -> new long[6]);
            int index = switch ((String) row[1]) {
              case "offered" -> 0;
              case "downloaded" -> 1;
              case "applied" -> 2;
              case "confirmed" -> 3;
              case "failed" -> 4;
              default -> 5;
            };
            counts[index] = ((Number) row[2]).longValue();
          }
          List<DeploymentViews.WaveStats> stats = new ArrayList<>();
          byWave.forEach((wave, c) -> stats.add(new DeploymentViews.WaveStats(wave, c[0], c[1], c[2], c[3], c[4], c[5])));
          return stats;
        });
  }

  /** The outcome counts of one wave since the deployment started (or last resumed) counting. */
  public static Uni<RolloutRules.WaveCounts> waveCounts(DeploymentEntity d, int wave) {
    return Panache.getSession().flatMap(s -> s.createNativeQuery(
            "select count(distinct device_id) filter (where kind in ('applied', 'failed', 'rolled_back')),"
                + " count(distinct device_id) filter (where kind in ('failed', 'rolled_back')),"
                + " count(distinct device_id) filter (where kind = 'confirmed')"
                + " from install_event where deployment_id = :d and wave = :w and created_at >= :since", Object[].class)
        .setParameter("d", d.id)
        .setParameter("w", wave)
        .setParameter("since", d.waveStartedAt)
        .getSingleResult())
        .map(row -> new RolloutRules.WaveCounts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
            ((Number) row[2]).longValue()));
  }
}
