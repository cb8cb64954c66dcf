package dev.dala.ota.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes audit entries inside the caller's transaction, so an action and its record commit or
 * fail together. The system itself (an automatic halt, say) is actor {@code system}.
 */
@ApplicationScoped
public class AuditLog {

  public static final String SYSTEM = "system";

  @Inject
  ObjectMapper json;

  @SuppressWarnings("unchecked")
  public Uni<Void> record(UUID organisationId, String actor, String action, String targetType, String targetId,
      Object before, Object after) {
    AuditEntryEntity entry = new AuditEntryEntity();
    entry.organisationId = organisationId;
    entry.actor = actor;
    entry.action = action;
    entry.targetType = targetType;
    entry.targetId = targetId;
    entry.beforeState = before == null ? null : json.convertValue(before, Map.class);
    entry.afterState = after == null ? null : json.convertValue(after, Map.class);
    entry.createdAt = Instant.now();
    return entry.persist().replaceWithVoid();
  }
}
