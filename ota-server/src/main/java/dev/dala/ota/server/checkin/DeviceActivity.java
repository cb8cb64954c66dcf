package dev.dala.ota.server.checkin;

import dev.dala.ota.server.config.OtaConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Records what check-ins learn about devices without making check-ins wait for the database:
 * the latest state of each device and each offer are buffered, merged, and written in batches
 * (one upsert per device, one offered event per device and release) on a short timer. A device
 * whose state has not changed is written at most once per {@code last-seen-resolution}, so the
 * write load follows the fleet's changes, not its check-in rate. The buffer is bounded; past the
 * bound, updates are dropped and counted.
 */
@ApplicationScoped
public class DeviceActivity {

  private static final Logger LOG = Logger.getLogger(DeviceActivity.class);
  static final int BATCH = 1000;

  private record Seen(UUID appId, UUID channelId, CheckinRequest device, OffsetDateTime at) {}

  private record Offered(UUID appId, String installId, UUID releaseId, UUID deploymentId, Integer wave, OffsetDateTime at) {}

  @Inject
  Pool pool;

  @Inject
  Vertx vertx;

  @Inject
  OtaConfig config;

  private volatile ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<String, Offered> offered = new ConcurrentHashMap<>();
  private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
  private final AtomicLong dropped = new AtomicLong();
  private long timer = -1;

  private RecentlyRecorded recent;

  void onStart(@Observes StartupEvent event) {
    recent = new RecentlyRecorded(config.checkin().lastSeenResolution().toSeconds());
    timer = vertx.setPeriodic(config.checkin().lastSeenFlush().toMillis(), id -> flush().subscribe().with(
        ok -> { }, failure -> LOG.warnf("device activity flush failed, retrying next tick: %s", failure.getMessage())));
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    flush().await().atMost(java.time.Duration.ofSeconds(10));
  }

  public void record(ChannelSnapshot channel, CheckinRequest device, Decision decision) {
    long nowSeconds = System.currentTimeMillis() / 1000;
    int state = java.util.Objects.hash(channel.channelId(), device.platform(), device.baseFingerprint(),
        device.otpRelease(), device.currentSequence(), device.agentVersion());
    boolean deviceKnown = recent.seenRecently(RecentlyRecorded.key(channel.appId(), device.installId(), 0), state, nowSeconds);
    UUID release = decision.isUpdate() ? decision.deployment().release().id() : null;
    boolean offerKnown = release == null || recent.seenRecently(
        RecentlyRecorded.key(release, device.installId(), 1), 0, nowSeconds);
    if (deviceKnown && offerKnown) {
      return;
    }
    if (seen.size() >= config.checkin().maxPendingDevices()) {
      dropped.incrementAndGet();
      return;
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    seen.put(channel.appId() + "/" + device.installId(), new Seen(channel.appId(), channel.channelId(), device, now));
    if (!offerKnown) {
      offered.putIfAbsent(channel.appId() + "/" + device.installId() + "/" + release, new Offered(channel.appId(),
          device.installId(), release, decision.deployment().id(), decision.wave() < 0 ? null : decision.wave(), now));
    }
  }

  /**
   * What {@code lookup} finds; when it finds nothing, what it finds after a flush, because a
   * device's first check-in may still sit in this buffer. For anything keyed by a device row.
   */
  public <T> Uni<T> findFlushing(Supplier<Uni<T>> lookup) {
    return lookup.get().flatMap(found -> found != null ? Uni.createFrom().item(found)
        : flush().flatMap(v -> lookup.get()));
  }

  /** Updates dropped because the buffer was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Writes everything buffered so far; completes when it is written. When a flush is already
   * running, what the caller buffered may be in it or after it, so the caller waits for it and
   * then flushes once more: an event that flushes to find its device must see that device.
   */
  public Uni<Void> flush() {
    return Uni.createFrom().deferred(() -> {
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> running = inFlight.compareAndExchange(null, mine);
      if (running != null) {
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().completionStage(running)
            // Continue on the caller's context, not on the one that finished the other flush.
            .emitOn(task -> {
              if (caller == null) {
                task.run();
              } else {
                caller.runOnContext(v -> task.run());
              }
            })
            .flatMap(v -> flush());
      }
      Map<String, Seen> devices = seen;
      Map<String, Offered> offers = offered;
      seen = new ConcurrentHashMap<>();
      offered = new ConcurrentHashMap<>();
      return writeDevices(new ArrayList<>(devices.values()))
          .call(() -> writeOffers(new ArrayList<>(offers.values())))
          .onFailure().invoke(failure -> {
            // Put back what was not written, unless newer news arrived meanwhile.
            devices.forEach(seen::putIfAbsent);
            offers.forEach(offered::putIfAbsent);
          })
          .eventually(() -> {
            inFlight.set(null);
            // Waiters retry whether this one failed or not: they only need it to have ended.
            mine.complete(null);
          });
    });
  }

  private Uni<Void> writeDevices(List<Seen> devices) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int from = 0; from < devices.size(); from += BATCH) {
      List<Tuple> rows = new ArrayList<>();
      for (Seen s : devices.subList(from, Math.min(devices.size(), from + BATCH))) {
        CheckinRequest d = s.device();
        rows.add(Tuple.tuple(List.of(UUID.randomUUID(), s.appId(), d.installId(), s.channelId(), d.platform(),
            d.baseFingerprint(), d.otpRelease(), d.currentSequence(), d.agentVersion(), s.at())));
      }
      chain = chain.call(() -> pool.preparedQuery(
          "insert into device (id, app_id, install_id, channel_id, platform, base_fingerprint, otp_release,"
              + " current_sequence, agent_version, first_seen, last_seen)"
              + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
              + " on conflict (app_id, install_id) do update set channel_id = excluded.channel_id,"
              + " platform = excluded.platform, base_fingerprint = excluded.base_fingerprint,"
              + " otp_release = excluded.otp_release, current_sequence = excluded.current_sequence,"
              + " agent_version = excluded.agent_version, last_seen = greatest(device.last_seen, excluded.last_seen)"
              // Another pod may have written the same news: then PostgreSQL writes nothing.
              + " where (device.channel_id, device.platform, device.base_fingerprint, device.otp_release,"
              + " device.current_sequence, device.agent_version) is distinct from (excluded.channel_id,"
              + " excluded.platform, excluded.base_fingerprint, excluded.otp_release, excluded.current_sequence,"
              + " excluded.agent_version) or device.last_seen < excluded.last_seen - interval '1 minute'")
          .executeBatch(rows));
    }
    return chain;
  }

  private Uni<Void> writeOffers(List<Offered> offers) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int from = 0; from < offers.size(); from += BATCH) {
      List<Tuple> rows = new ArrayList<>();
      for (Offered o : offers.subList(from, Math.min(offers.size(), from + BATCH))) {
        rows.add(Tuple.tuple(java.util.Arrays.asList(o.appId(), o.releaseId(), o.deploymentId(), o.wave(), o.at(),
            o.installId())));
      }
      chain = chain.call(() -> pool.preparedQuery(
          "insert into install_event (app_id, device_id, release_id, deployment_id, wave, kind, created_at)"
              + " select $1, d.id, $2, $3, $4, 'offered', $5 from device d where d.app_id = $1 and d.install_id = $6"
              + " on conflict (device_id, release_id, kind) where kind in ('offered', 'confirmed') do nothing")
          .executeBatch(rows));
    }
    return chain;
  }
}
