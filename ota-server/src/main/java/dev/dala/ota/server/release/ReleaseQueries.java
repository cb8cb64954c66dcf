package dev.dala.ota.server.release;

import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppEntity;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/** Reads of releases and what belongs to them; every method needs an open session. */
public final class ReleaseQueries {

  private ReleaseQueries() {}

  public static Uni<ReleaseEntity> bySequence(UUID appId, long sequence) {
    return ReleaseEntity.<ReleaseEntity>find("appId = ?1 and sequence = ?2", appId, sequence).firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.RELEASE_NOT_FOUND, "release " + sequence));
  }

  public static Uni<List<ModuleBlobEntity>> modules(UUID releaseId) {
    return ModuleBlobEntity.find(
        "select b from ModuleBlobEntity b, ReleaseModuleEntity m where m.releaseId = ?1 and m.sha256 = b.sha256"
            + " order by m.name", releaseId).list();
  }

  public static Uni<List<ReleaseModuleEntity>> moduleNames(UUID releaseId) {
    return ReleaseModuleEntity.list("releaseId = ?1 order by name", releaseId);
  }

  public static Uni<List<BaseReleaseEntity>> bases(UUID releaseId) {
    return BaseReleaseEntity.find(
        "select b from BaseReleaseEntity b, ReleaseBaseEntity r where r.releaseId = ?1 and r.baseReleaseId = b.id"
            + " order by b.fingerprint", releaseId).list();
  }

  /** The full view of a release: its modules, bases and bundle. */
  public static Uni<ReleaseViews.Release> view(AppEntity app, ReleaseEntity r) {
    return moduleNames(r.id).flatMap(names -> modules(r.id).flatMap(blobs -> bases(r.id).map(bases -> {
      var bySha = new java.util.HashMap<String, ModuleBlobEntity>();
      blobs.forEach(b -> bySha.put(b.sha256, b));
      List<ReleaseViews.Module> modules = names.stream().map(n -> {
        ModuleBlobEntity b = bySha.get(n.sha256);
        return new ReleaseViews.Module(n.name, n.sha256, b.size, b.beamMd5);
      }).toList();
      return new ReleaseViews.Release(r.id, app.name, r.sequence, r.label, r.kind, r.applyMode, r.minAgentVersion,
          modules, bases.stream().map(b -> b.fingerprint).toList(), new ReleaseViews.Bundle(r.bundleSha256, r.bundleSize),
          r.republishedFrom, r.createdBy, r.createdAt, r.expiresAt);
    })));
  }
}
