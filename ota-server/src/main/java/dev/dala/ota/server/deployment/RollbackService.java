package dev.dala.ota.server.deployment;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.common.ReactiveBridge;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.server.org.ChannelEntity;
import dev.dala.ota.server.release.ModuleBlobEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import dev.dala.ota.server.release.ReleaseModuleEntity;
import dev.dala.ota.server.release.ReleaseQueries;
import dev.dala.ota.server.release.ReleaseRecords;
import dev.dala.ota.server.release.ReleaseWriter;
import dev.dala.ota.server.storage.ObjectStore;
import dev.dala.ota.signer.manifest.ApplyMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rolls a channel back by republishing an earlier release's content under a new, higher
 * sequence and deploying that, so devices never have to accept a lower sequence. Runs on a
 * worker thread: it reads module bytes from the object store.
 */
@ApplicationScoped
public class RollbackService {

  @Inject
  OtaConfig config;

  @Inject
  AppService apps;

  @Inject
  ObjectStore store;

  @Inject
  ReleaseWriter writer;

  @Inject
  DeploymentService deployments;

  @Inject
  AuditLog audit;

  public DeploymentEntity rollback(Caller caller, String appName, String channelName, DeploymentViews.Rollback request) {
    Validation.body(request);
    Validation v = new Validation().notNull(request.toSequence(), "to_sequence");
    List<Wave> waves = RolloutSpec.waves(request.rollout(), v);
    FailureThreshold threshold = RolloutSpec.threshold(null, config.rollout(), v);
    v.orThrow();
    AppEntity app = ReactiveBridge.await(() -> apps.find(caller, appName));
    ChannelEntity channel = ReactiveBridge.await(() -> Panache.withSession(() -> AppService.channelOf(app, channelName)));
    ReleaseEntity source = ReactiveBridge.await(() -> Panache.withSession(() ->
        ReleaseQueries.bySequence(app.id, request.toSequence())));
    List<ReleaseModuleEntity> names = ReactiveBridge.await(() -> Panache.withSession(() ->
        ReleaseQueries.moduleNames(source.id)));
    List<ModuleBlobEntity> blobs = ReactiveBridge.await(() -> Panache.withSession(() -> ReleaseQueries.modules(source.id)));
    List<BaseReleaseEntity> bases = ReactiveBridge.await(() -> Panache.withSession(() -> ReleaseQueries.bases(source.id)));
    Map<String, ModuleBlobEntity> blobsBySha = new HashMap<>();
    blobs.forEach(b -> blobsBySha.put(b.sha256, b));
    List<ReleaseWriter.Module> modules = new ArrayList<>();
    for (ReleaseModuleEntity name : names) {
      ModuleBlobEntity blob = Optional.ofNullable(blobsBySha.get(name.sha256)).orElseThrow();
      modules.add(new ReleaseWriter.Module(name.name, store.read(blob.storageKey), HexFormat.of().parseHex(blob.sha256),
          HexFormat.of().parseHex(blob.beamMd5)));
    }
    ReleaseEntity release = writer.write(app, new ReleaseWriter.Content("rollback to " + source.label + " (sequence "
        + source.sequence + ")", ApplyMode.fromAtom(source.applyMode), source.minAgentVersion, modules, bases),
        "rollback", source.contentHash, source.id, caller.actor());
    List<String[]> rows = names.stream().map(n -> new String[] {n.name, n.sha256}).toList();
    boolean mandatory = request.mandatory() == null || request.mandatory();
    try {
      return ReactiveBridge.await(() -> Panache.withTransaction(() -> release.<ReleaseEntity>persist()
          .call(() -> ReleaseRecords.rows(release, rows, bases))
          .call(() -> audit.record(app.organisationId, caller.actor(), "release.rollback", "release",
              release.id.toString(), Map.of("sequence", source.sequence, "label", source.label),
              Map.of("sequence", release.sequence, "label", release.label)))
          .flatMap(r -> deployments.deploy(caller, app, channel, release, waves, threshold, mandatory,
              release.applyMode))));
    } catch (RuntimeException e) {
      writer.discard(release);
      throw e;
    }
  }
}
