package dev.dala.ota.server.common;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Announces that what a check-in decides for an app has changed. The NOTIFY is transactional,
 * so pods hear of a change only once it has committed; each pod's decision cache listens.
 */
@ApplicationScoped
public class StateChanges {

  public static final String CHANNEL = "ota_state";

  /** Queues a notification for {@code appId}, delivered when the current transaction commits. */
  public Uni<Void> appChanged(UUID appId) {
    return Panache.getSession()
        .flatMap(session -> session.createNativeQuery("select pg_notify('" + CHANNEL + "', :app)")
            .setParameter("app", appId.toString())
            .getSingleResult())
        .replaceWithVoid();
  }
}
