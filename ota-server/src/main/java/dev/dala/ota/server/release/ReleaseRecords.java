package dev.dala.ota.server.release;

import dev.dala.ota.server.base.BaseReleaseEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/** Inserts a release and its rows; call inside a transaction. */
public final class ReleaseRecords {

  private ReleaseRecords() {}

  static Uni<Void> insert(ReleaseEntity release, List<InspectedModule> modules, List<BaseReleaseEntity> bases) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (InspectedModule m : modules) {
      chain = chain.call(() -> blob(m.sha256Hex(), m.bytes().length, m.beam().md5Hex(), m.name()));
    }
    return chain.call(release::persist)
        .call(() -> rows(release, modules.stream().map(m -> new String[] {m.name(), m.sha256Hex()}).toList(), bases))
        .replaceWithVoid();
  }

  /** The module and base rows of a release whose blobs are already recorded. */
  public static Uni<Void> rows(ReleaseEntity release, List<String[]> namesAndHashes, List<BaseReleaseEntity> bases) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String[] m : namesAndHashes) {
      ReleaseModuleEntity row = new ReleaseModuleEntity();
      row.releaseId = release.id;
      row.name = m[0];
      row.sha256 = m[1];
      chain = chain.call(row::persist);
    }
    for (BaseReleaseEntity base : bases) {
      ReleaseBaseEntity row = new ReleaseBaseEntity();
      row.releaseId = release.id;
      row.baseReleaseId = base.id;
      chain = chain.call(row::persist);
    }
    return chain.call(() -> Panache.getSession().flatMap(s -> s.flush()));
  }

  /** Records a module blob unless another release recorded it first. */
  static Uni<Integer> blob(String sha256, long size, String md5, String name) {
    return Panache.getSession().flatMap(s -> s.createNativeQuery(
            "insert into module_blob (sha256, size, beam_md5, module_name, storage_key, created_at)"
                + " values (:sha, :size, :md5, :name, :key, :at) on conflict (sha256) do nothing")
        .setParameter("sha", sha256)
        .setParameter("size", size)
        .setParameter("md5", md5)
        .setParameter("name", name)
        .setParameter("key", ModuleBlobEntity.storageKey(sha256))
        .setParameter("at", Instant.now())
        .executeUpdate());
  }
}
