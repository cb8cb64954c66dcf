package dev.dala.ota.server.checkin;

import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.deployment.DeploymentQueries;
import dev.dala.ota.server.deployment.DeploymentState;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.ChannelEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import dev.dala.ota.server.release.ReleaseModuleEntity;
import dev.dala.ota.server.release.ReleaseQueries;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What check-ins decide from, held in memory: one snapshot per channel key and one per release.
 * Channel snapshots are dropped when their app changes (a PostgreSQL notification reaches every
 * pod) and, as a safety net, periodically; release snapshots never change.
 */
@ApplicationScoped
public class DecisionCache {

  /** How long an unknown channel key is remembered as unknown. */
  static final Duration UNKNOWN_TTL = Duration.ofSeconds(10);
  static final int MAX_RELEASES = 4096;

  private record Entry(ChannelSnapshot snapshot, long loadedAt) {}

  private final ConcurrentHashMap<String, Entry> channels = new ConcurrentHashMap<>();
  private final Map<String, ReleaseSnapshot> releases = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ReleaseSnapshot> eldest) {
          return size() > MAX_RELEASES;
        }
      });

  /** The channel for {@code key}, or null when no channel has that key. */
  public Uni<ChannelSnapshot> channel(String key) {
    Entry entry = channels.get(key);
    if (entry != null && (entry.snapshot() != null
        || System.nanoTime() - entry.loadedAt() < UNKNOWN_TTL.toNanos())) {
      return Uni.createFrom().item(entry.snapshot());
    }
    return Panache.withSession(() -> loadChannel(key))
        .invoke(snapshot -> channels.put(key, new Entry(snapshot, System.nanoTime())));
  }

  /** The release of {@code appId} with {@code sequence}, or null when there is none. */
  public Uni<ReleaseSnapshot> release(UUID appId, long sequence) {
    if (sequence <= 0) {
      return Uni.createFrom().nullItem();
    }
    String key = appId + ":" + sequence;
    ReleaseSnapshot cached = releases.get(key);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return Panache.withSession(() -> ReleaseEntity.<ReleaseEntity>find("appId = ?1 and sequence = ?2", appId, sequence)
            .firstResult()
            .flatMap(r -> r == null ? Uni.createFrom().<ReleaseSnapshot>nullItem() : loadRelease(r)))
        .invoke(snapshot -> {
          if (snapshot != null) {
            releases.put(key, snapshot);
          }
        });
  }

  /** Drops every snapshot of the app's channels; the next check-in reloads them. */
  public void invalidateApp(UUID appId) {
    channels.values().removeIf(e -> e.snapshot() == null || e.snapshot().appId().equals(appId));
  }

  /** Drops every channel snapshot. */
  public void invalidateAll() {
    channels.clear();
  }

  private Uni<ChannelSnapshot> loadChannel(String key) {
    return ChannelEntity.<ChannelEntity>find("channelKey", key).firstResult().flatMap(channel -> {
      if (channel == null) {
        return Uni.createFrom().nullItem();
      }
      return AppEntity.<AppEntity>findById(channel.appId).flatMap(app -> DeploymentQueries.live(channel.id)
          .flatMap(d -> {
            if (d == null) {
              return Uni.createFrom().item(new ChannelSnapshot(channel.id, channel.name, app.id, app.name, null));
            }
            return ReleaseEntity.<ReleaseEntity>findById(d.releaseId).flatMap(this::loadRelease)
                .map(release -> new ChannelSnapshot(channel.id, channel.name, app.id, app.name,
                    new ChannelSnapshot.Live(d.id, DeploymentState.parse(d.state), d.rolloutPercent, d.waves(),
                        d.mandatory, d.applyMode, release)));
          }));
    });
  }

  private Uni<ReleaseSnapshot> loadRelease(ReleaseEntity r) {
    String key = r.appId + ":" + r.sequence;
    ReleaseSnapshot cached = releases.get(key);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return ReleaseModuleEntity.<ReleaseModuleEntity>list("releaseId", r.id).flatMap(modules ->
        ReleaseQueries.bases(r.id).map(bases -> {
          Map<String, String> hashes = new HashMap<>();
          modules.forEach(m -> hashes.put(m.name, m.sha256));
          Set<String> baseKeys = new HashSet<>();
          for (BaseReleaseEntity b : bases) {
            baseKeys.add(ReleaseSnapshot.baseKey(b.platform, b.otpRelease, b.fingerprint));
          }
          ReleaseSnapshot snapshot = new ReleaseSnapshot(r.id, r.sequence, r.label, r.envelope, Map.copyOf(hashes),
              Set.copyOf(baseKeys), r.minAgentVersion, r.applyMode, r.bundleSha256, r.bundleSize);
          releases.put(key, snapshot);
          return snapshot;
        }));
  }
}
