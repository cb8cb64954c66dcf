package dev.dala.ota.server.audit;

import dev.dala.ota.server.auth.Allowed;
import dev.dala.ota.server.auth.CallerContext;
import dev.dala.ota.server.auth.Role;
import dev.dala.ota.server.common.Validation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The audit log of the caller's organisation, newest first. */
@Path("/api/v1/audit")
public class AuditResource {

  /** One audit entry. */
  public record Entry(long id, String actor, String action, String targetType, String targetId,
      Map<String, Object> before, Map<String, Object> after, Instant createdAt) {}

  @Inject
  CallerContext caller;

  @GET
  @Allowed(Role.ADMIN)
  public Uni<List<Entry>> list(@QueryParam("before") Long before, @QueryParam("limit") @DefaultValue("100") int limit) {
    new Validation().require(limit >= 1 && limit <= 500, "limit", "must be 1..500").orThrow();
    return Panache.withSession(() -> AuditEntryEntity.<AuditEntryEntity>find(
            "organisationId = ?1 and id < ?2 order by id desc", caller.get().organisationId(),
            before == null ? Long.MAX_VALUE : before)
        .page(0, limit).list()
        .map(entries -> entries.stream().map(e -> new Entry(e.id, e.actor, e.action, e.targetType, e.targetId,
            e.beforeState, e.afterState, e.createdAt)).toList()));
  }
}
