package dev.dala.ota.server.bootstrap;

import dev.dala.ota.server.auth.Role;
import dev.dala.ota.server.auth.TokenSecrets;
import dev.dala.ota.server.auth.TokenService;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.org.OrganisationEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import dev.dala.ota.server.common.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * On a server with no organisation yet, creates the first one and an admin token with the
 * configured secret ({@code ota.bootstrap.admin-token}), so that {@code ./ota up} can hand the
 * operator a working token. Does nothing once any organisation exists.
 */
@ApplicationScoped
public class FirstRun {

  private static final Logger LOG = Logger.getLogger(FirstRun.class);

  @Inject
  OtaConfig config;

  void onStart(@Observes StartupEvent event) {
    String secret = config.bootstrap().adminToken().orElse(null);
    if (secret == null || secret.isBlank()) {
      return;
    }
    if (!TokenSecrets.looksLikeToken(secret)) {
      throw new IllegalStateException("ota.bootstrap.admin-token must look like ota_<random>");
    }
    boolean created = ReactiveBridge.await(() -> Panache.withTransaction(() ->
        OrganisationEntity.count().flatMap(count -> {
          if (count > 0) {
            return io.smallrye.mutiny.Uni.createFrom().item(false);
          }
          OrganisationEntity org = new OrganisationEntity();
          org.id = UUID.randomUUID();
          org.slug = config.bootstrap().organisation();
          org.name = config.bootstrap().organisation();
          org.createdAt = Instant.now();
          return org.persist()
              .flatMap(o -> TokenService.newToken(org.id, "bootstrap-admin", Role.ADMIN, secret).persist())
              .replaceWith(true);
        })));
    if (created) {
      LOG.infof("created organisation '%s' and its first admin token", config.bootstrap().organisation());
    }
  }
}
