package dev.dala.ota.server.checkin;

import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.config.OtaConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps this pod's decision cache in step with every other pod's changes: it LISTENs for the
 * notifications that admin changes send when they commit, and also drops the cache on a timer
 * in case a notification is lost while the connection reconnects.
 */
@ApplicationScoped
public class StateListener {

  private static final Logger LOG = Logger.getLogger(StateListener.class);

  @Inject
  DecisionCache cache;

  @Inject
  Vertx vertx;

  @Inject
  OtaConfig config;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  private PgSubscriber subscriber;
  private long timer = -1;

  void onStart(@Observes StartupEvent event) {
    PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
    subscriber = PgSubscriber.subscriber(vertx, options);
    subscriber.reconnectPolicy(retries -> 1000L);
    subscriber.channel(StateChanges.CHANNEL).handler(payload -> {
      try {
        cache.invalidateApp(UUID.fromString(payload));
      } catch (IllegalArgumentException e) {
        cache.invalidateAll();
      }
    });
    subscriber.connect().subscribe().with(
        ok -> LOG.debug("listening for deployment state changes"),
        failure -> LOG.warnf("cannot LISTEN for state changes yet (%s); the cache refreshes on its timer",
            failure.getMessage()));
    timer = vertx.setPeriodic(config.checkin().cacheRefresh().toMillis(), id -> cache.invalidateAll());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (subscriber != null) {
      subscriber.close().subscribe().with(ok -> { }, failure -> { });
    }
  }
}
