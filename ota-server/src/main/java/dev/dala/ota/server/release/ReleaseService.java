package dev.dala.ota.server.release;

import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.org.AppService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Reads of an app's releases. */
@ApplicationScoped
public class ReleaseService {

  public static final int MAX_PAGE = 200;

  @Inject
  AppService apps;

  @WithSession
  public Uni<ReleaseViews.Release> get(Caller caller, String appName, long sequence) {
    return apps.find(caller, appName).flatMap(app -> ReleaseQueries.bySequence(app.id, sequence)
        .flatMap(r -> ReleaseQueries.view(app, r)));
  }

  /** Newest first; {@code before} pages back from a sequence. */
  @WithSession
  public Uni<List<ReleaseViews.Summary>> list(Caller caller, String appName, Long before, int limit) {
    new Validation().require(limit >= 1 && limit <= MAX_PAGE, "limit", "must be 1.." + MAX_PAGE).orThrow();
    return apps.find(caller, appName).flatMap(app -> ReleaseEntity.<ReleaseEntity>find(
            "appId = ?1 and sequence < ?2 order by sequence desc", app.id, before == null ? Long.MAX_VALUE : before)
        .page(0, limit).list()
        .flatMap(releases -> ReleaseModuleEntity.find(
                "select m.releaseId, count(m) from ReleaseModuleEntity m where m.releaseId in ?1 group by m.releaseId",
                releases.stream().map(r -> r.id).toList())
            .project(Object[].class).list()
            .map(counts -> {
              var byRelease = new java.util.HashMap<Object, Long>();
              counts.forEach(c -> byRelease.put(c[0], (Long) c[1]));
              return releases.stream().map(r -> new ReleaseViews.Summary(r.id, r.sequence, r.label, r.kind,
                  byRelease.getOrDefault(r.id, 0L).intValue(), r.createdAt)).toList();
            })));
  }
}
