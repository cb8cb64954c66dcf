package dev.dala.ota.server.session;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.dist.DistEndpoint;
import dev.dala.ota.server.dist.DistSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Starts and stops the distribution endpoint with the server, configured from {@code ota.dist.*}. */
@ApplicationScoped
public class DistService {

  private static final Logger LOG = Logger.getLogger(DistService.class);

  @Inject
  Vertx vertx;

  @Inject
  OtaConfig config;

  @Inject
  DistSessionGate gate;

  @Inject
  DistSessionMetrics metrics;

  @Inject
  CookieVault vault;

  @Inject
  MeterRegistry registry;

  private volatile DistEndpoint endpoint;

  void onStart(@Observes StartupEvent event) throws Exception {
    OtaConfig.Dist dist = config.dist();
    if (!dist.enabled()) {
      LOG.info("distribution endpoint disabled (ota.dist.enabled=false); devices update over HTTP");
      return;
    }
    if (vault.problem() != null) {
      throw new IllegalStateException("cannot start the distribution endpoint: " + vault.problem());
    }
    endpoint = DistEndpoint.start(vertx, settings(dist), gate, metrics)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Gauge.builder("ota.dist.connections", endpoint, DistEndpoint::connections)
        .description("Open distribution connections, handshakes included").register(registry);
    Gauge.builder("ota.dist.sessions.active", endpoint, DistEndpoint::sessions)
        .description("Delivery sessions in progress").register(registry);
    LOG.infof("distribution endpoint %s: EPMD on port %d, distribution on port %d", dist.nodeName(),
        endpoint.epmdPort(), endpoint.distPort());
  }

  void onStop(@Observes ShutdownEvent event) throws Exception {
    DistEndpoint running = endpoint;
    endpoint = null;
    if (running != null) {
      running.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static DistSettings settings(OtaConfig.Dist dist) {
    DistSettings.Builder b = DistSettings.builder()
        .nodeName(dist.nodeName())
        .bindHost(dist.bindHost())
        .epmdPort(dist.epmdPort())
        .distPort(dist.port())
        .handshakeTimeout(dist.handshakeTimeout())
        .tickInterval(dist.tickInterval())
        .idleTimeout(dist.idleTimeout())
        .maxFrameBytes(dist.maxFrameBytes())
        .maxMessageBytes(dist.maxMessageBytes())
        .maxFragmentsPerMessage(dist.maxFragmentsPerMessage())
        .maxFragmentedMessages(dist.maxFragmentedMessages())
        .outboundFragmentBytes(dist.fragmentBytes())
        .maxConnections(dist.maxConnections())
        .maxPendingHandshakes(dist.maxPendingHandshakes())
        .maxHandshakesPerAddress(dist.maxHandshakesPerAddress())
        .maxEpmdConnections(dist.maxEpmdConnections());
    dist.listeners().ifPresent(b::listeners);
    return b.build();
  }

  public boolean running() {
    return endpoint != null;
  }

  /** The EPMD port in use; -1 when the endpoint is not running. */
  public int epmdPort() {
    DistEndpoint e = endpoint;
    return e == null ? -1 : e.epmdPort();
  }

  /** The distribution port in use; -1 when the endpoint is not running. */
  public int distPort() {
    DistEndpoint e = endpoint;
    return e == null ? -1 : e.distPort();
  }
}
