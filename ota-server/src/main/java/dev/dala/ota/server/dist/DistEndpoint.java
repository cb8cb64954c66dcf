package dev.dala.ota.server.dist;

import dev.dala.ota.server.dist.DistObserver.Closure;
import dev.dala.ota.server.dist.internal.Acceptor;
import dev.dala.ota.server.dist.internal.Connection;
import dev.dala.ota.server.dist.internal.EndpointCore;
import dev.dala.ota.server.dist.internal.EpmdResponder;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Erlang distribution endpoint: an EPMD responder and a distribution listener
 * speaking the version-6 handshake, on Vert.x only, so that it reads as a small library. Each
 * established connection runs one session through the {@link SessionGate}'s handler.
 */
public final class DistEndpoint {

  private final Vertx vertx;
  private final EndpointCore core;
  private final List<String> deployments;
  private final int epmdPort;
  private final int distPort;

  private DistEndpoint(Vertx vertx, EndpointCore core, List<String> deployments, int epmdPort, int distPort) {
    this.vertx = vertx;
    this.core = core;
    this.deployments = deployments;
    this.epmdPort = epmdPort;
    this.distPort = distPort;
  }

  /** Binds both listeners; completes once they accept connections. */
  public static Future<DistEndpoint> start(Vertx vertx, DistSettings settings, SessionGate gate, DistObserver observer) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(gate, "gate");
    EndpointCore core = new EndpointCore(vertx, settings, gate, observer == null ? DistObserver.NONE : observer);
    List<String> deployments = new ArrayList<>();
    // Every listener binds the same port and Vert.x spreads accepted sockets across them; port 0
    // is resolved to one free port first, because listeners asked for port 0 would each get
    // their own.
    AtomicInteger distPort;
    try {
      distPort = new AtomicInteger(settings.distPort() != 0 ? settings.distPort() : freePort(settings.bindHost()));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return vertx.deployVerticle(() -> new DistListener(core, distPort),
            new DeploymentOptions().setInstances(settings.listeners()))
        .compose(id -> {
          deployments.add(id);
          AtomicInteger epmdPort = new AtomicInteger(settings.epmdPort());
          return vertx.deployVerticle(new EpmdListener(core, epmdPort, distPort.get()), new DeploymentOptions())
              .map(epmdId -> {
                deployments.add(epmdId);
                return new DistEndpoint(vertx, core, deployments, epmdPort.get(), distPort.get());
              });
        });
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  public int epmdPort() {
    return epmdPort;
  }

  public int distPort() {
    return distPort;
  }

  /** Open sockets, handshakes included. */
  public int connections() {
    return core.connectionCount();
  }

  /** Connections past the handshake, each running a session. */
  public int sessions() {
    return core.sessionCount();
  }

  /** Handshakes in progress. */
  public int handshakes() {
    return core.handshakeCount();
  }

  /** Stops accepting and closes every connection. */
  public Future<Void> stop() {
    for (Connection c : List.copyOf(core.establishedConnections())) {
      c.context().runOnContext(v -> c.shutdown(Closure.SERVER_STOPPING));
    }
    Future<Void> all = Future.succeededFuture();
    for (String id : deployments) {
      all = all.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return all;
  }

  /** One distribution listener on its own event loop. */
  private static final class DistListener extends AbstractVerticle {
    private final EndpointCore core;
    private final AtomicInteger port;

    DistListener(EndpointCore core, AtomicInteger port) {
      this.core = core;
      this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
      NetServer server = vertx.createNetServer(new NetServerOptions()
          .setHost(core.settings().bindHost())
          .setPort(port.get())
          .setTcpNoDelay(true)
          .setReuseAddress(true));
      server.connectHandler(socket -> Acceptor.accept(core, socket));
      server.listen().onSuccess(s -> {
        port.set(s.actualPort());
        started.complete();
      }).onFailure(started::fail);
    }
  }

  /** The EPMD responder; one event loop is plenty for one request per device session. */
  private static final class EpmdListener extends AbstractVerticle {
    private final AtomicInteger open = new AtomicInteger();
    private final EndpointCore core;
    private final AtomicInteger port;
    private final int distPort;

    EpmdListener(EndpointCore core, AtomicInteger port, int distPort) {
      this.core = core;
      this.port = port;
      this.distPort = distPort;
    }

    @Override
    public void start(Promise<Void> started) {
      NetServer server = vertx.createNetServer(new NetServerOptions()
          .setHost(core.settings().bindHost())
          .setPort(port.get())
          .setReuseAddress(true));
      server.connectHandler(socket -> {
        if (open.incrementAndGet() > core.settings().maxEpmdConnections()) {
          open.decrementAndGet();
          core.observer().epmd(DistObserver.EpmdRequest.CONNECTION_LIMIT);
          socket.close();
          return;
        }
        EpmdResponder.serve(vertx, socket, core.settings(), port.get(), distPort, core.observer(),
            open::decrementAndGet);
      });
      server.listen().onSuccess(s -> {
        port.set(s.actualPort());
        started.complete();
      }).onFailure(started::fail);
    }
  }
}
