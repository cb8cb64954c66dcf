package dev.dala.ota.server.release;

import dev.dala.ota.server.base.BaseReleaseEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.function.Function;
import java.time.Instant;
import java.util.List;

/** Inserts a release and its rows; call inside a transaction. */
public final class ReleaseRecords {

  private ReleaseRecords() {}

  static Uni<Void> insert(ReleaseEntity release, List<InspectedModule> modules, List<BaseReleaseEntity> bases) {
    return inSequence(modules, m -> blob(m.sha256Hex(), m.bytes().length, m.beam().md5Hex(), m.name()))
        .call(release::persist)
        .call(() -> rows(release, modules.stream().map(m -> new String[] {m.name(), m.sha256Hex()}).toList(), bases))
        .replaceWithVoid();
  }

  /** The module and base rows of a release whose blobs are already recorded. */
  public static Uni<Void> rows(ReleaseEntity release, List<String[]> namesAndHashes, List<BaseReleaseEntity> bases) {
    return inSequence(namesAndHashes, m -> {
      ReleaseModuleEntity row = new ReleaseModuleEntity();
      row.releaseId = release.id;
      row.name = m[0];
      row.sha256 = m[1];
      return row.persist();
    }).call(() -> inSequence(bases, base -> {
      ReleaseBaseEntity row = new ReleaseBaseEntity();
      row.releaseId = release.id;
      row.baseReleaseId = base.id;
      return row.persist();
    })).call(() -> Panache.getSession().flatMap(s -> s.flush()));
  }

  /**
   * Runs {@code step} for each item, one after another, in one session. A stream rather than a
   * chain of {@code call}s: a chain as long as a release's module list is as deep on the stack,
   * and hundreds of modules overflow it.
   */
  private static <T> Uni<Void> inSequence(List<T> items, Function<T, Uni<?>> step) {
    return Multi.createFrom().iterable(items).onItem().transformToUniAndConcatenate(step).collect().last()
        .replaceWithVoid();
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
