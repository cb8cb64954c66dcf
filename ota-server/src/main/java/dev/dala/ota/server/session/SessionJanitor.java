package dev.dala.ota.server.session;

import dev.dala.ota.server.config.OtaConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Erases the cookies of sessions nobody claimed before they expired (the claim refuses them
 * anyway; this keeps the table free of secrets), and deletes ended sessions past retention.
 */
@ApplicationScoped
public class SessionJanitor {

  @Inject
  SessionStore store;

  @Inject
  DistSessionGate gate;

  @Inject
  OtaConfig config;

  @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    gate.forgetExpired();
    return store.expireUnclaimed()
        .chain(expired -> store.purgeEnded(Instant.now().minus(config.dist().sessionRetention())))
        .replaceWithVoid();
  }
}
