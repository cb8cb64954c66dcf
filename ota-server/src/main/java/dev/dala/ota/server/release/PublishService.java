package dev.dala.ota.server.release;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.common.ReactiveBridge;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.server.storage.ObjectStore;
import dev.dala.ota.signer.manifest.AgentVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Publishes a draft bundle: inspects it, stores each new module once by content hash, then has
 * {@link ReleaseWriter} sign and store the release. Nothing is stored until the upload has
 * passed every check, and publishing the same content again returns the first release.
 *
 * <p>Runs on a worker thread: it parses megabytes and calls the blocking object store, and it
 * enters the reactive database through {@link ReactiveBridge} one short step at a time.
 */
@ApplicationScoped
public class PublishService {

  /** The release, and whether this call created it. */
  public record Published(AppEntity app, ReleaseEntity release, boolean created) {}

  @Inject
  OtaConfig config;

  @Inject
  AppService apps;

  @Inject
  ObjectStore store;

  @Inject
  ReleaseWriter writer;

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  public Published publish(Caller caller, String appName, byte[] upload) {
    if (upload.length > config.publish().maxBundleBytes()) {
      throw new OtaException(ErrorCode.PAYLOAD_TOO_LARGE,
          "the bundle has " + upload.length + " bytes; the limit is " + config.publish().maxBundleBytes());
    }
    AppEntity app = ReactiveBridge.await(() -> apps.find(caller, appName));
    List<BaseReleaseEntity> bases = ReactiveBridge.await(() -> Panache.withSession(() ->
        BaseReleaseEntity.ofApp(app.id)));
    BundleInspection.Accepted accepted = BundleInspection.inspect(upload, app.name, bases, config.publish().maxModules());
    if (!AgentVersion.isValid(accepted.draft().minAgentVersion())) {
      throw new OtaException(ErrorCode.MALFORMED_BUNDLE, "min_agent_version is not MAJOR.MINOR.PATCH");
    }
    ReleaseEntity existing = findPublished(app, accepted.contentHash());
    if (existing != null) {
      return new Published(app, existing, false);
    }
    storeNewModules(accepted.modules());
    List<ReleaseWriter.Module> modules = accepted.modules().stream()
        .map(m -> new ReleaseWriter.Module(m.name(), m.bytes(), m.sha256(), m.beam().md5())).toList();
    ReleaseEntity release = writer.write(app, new ReleaseWriter.Content(accepted.draft().label(),
        accepted.draft().applyMode(), accepted.draft().minAgentVersion(), modules, accepted.bases()),
        "publish", accepted.contentHash(), null, caller.actor());
    try {
      ReactiveBridge.await(() -> Panache.withTransaction(() -> ReleaseRecords
          .insert(release, accepted.modules(), accepted.bases())
          .call(() -> audit.record(caller.organisationId(), caller.actor(), "release.publish", "release",
              release.id.toString(), null, Map.of("sequence", release.sequence, "label", release.label,
                  "modules", modules.size())))
          .call(() -> changes.appChanged(app.id))));
    } catch (RuntimeException e) {
      // Lost a race with an identical publish: keep the winner, drop this bundle object.
      ReleaseEntity winner = findPublished(app, accepted.contentHash());
      writer.discard(release);
      if (winner != null) {
        return new Published(app, winner, false);
      }
      throw e;
    }
    return new Published(app, release, true);
  }

  private ReleaseEntity findPublished(AppEntity app, String contentHash) {
    return ReactiveBridge.await(() -> Panache.withSession(() -> ReleaseEntity.<ReleaseEntity>find(
        "appId = ?1 and contentHash = ?2 and kind = 'publish'", app.id, contentHash).firstResult()));
  }

  private void storeNewModules(List<InspectedModule> modules) {
    List<String> hashes = modules.stream().map(InspectedModule::sha256Hex).toList();
    List<ModuleBlobEntity> known = ReactiveBridge.await(() -> Panache.withSession(() ->
        ModuleBlobEntity.<ModuleBlobEntity>list("sha256 in ?1", hashes)));
    Set<String> stored = new HashSet<>();
    known.forEach(b -> stored.add(b.sha256));
    List<InspectedModule> fresh = modules.stream().filter(m -> stored.add(m.sha256Hex())).toList();
    // Object stores answer each put in tens of milliseconds; a release of hundreds of modules
    // would take most of a minute one at a time.
    Semaphore slots = new Semaphore(config.publish().uploadConcurrency());
    try (ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> pending = new ArrayList<>(fresh.size());
      for (InspectedModule m : fresh) {
        pending.add(uploads.submit(() -> {
          slots.acquireUninterruptibly();
          try {
            store.put(ModuleBlobEntity.storageKey(m.sha256Hex()), m.bytes(), "application/octet-stream");
          } finally {
            slots.release();
          }
        }));
      }
      for (Future<?> upload : pending) {
        try {
          upload.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while storing modules", e);
        }
      }
    }
  }
}
