package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.DistObserver;
import dev.dala.ota.server.dist.DistSettings;
import dev.dala.ota.server.dist.SessionGate;
import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlPid;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one endpoint shares: settings, the gate, the observer, this
 * incarnation's creation, and the counters that enforce the connection limits.
 */
public final class EndpointCore {

  private final Vertx vertx;
  private final DistSettings settings;
  private final SessionGate gate;
  private final DistObserver observer;
  private final SecureRandom random = new SecureRandom();
  private final long creation;
  private final ErlAtom nodeAtom;
  private final AtomicLong nextProcess = new AtomicLong(1);
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> handshakesByAddress = new ConcurrentHashMap<>();
  private final Set<Connection> established = ConcurrentHashMap.newKeySet();

  public EndpointCore(Vertx vertx, DistSettings settings, SessionGate gate, DistObserver observer) {
    this.vertx = vertx;
    this.settings = settings;
    this.gate = gate;
    this.observer = observer;
    // A fresh nonzero creation per start, as a BEAM takes one per incarnation: pids from an
    // earlier run of this pod never match this one's.
    long c;
    do {
      c = random.nextInt() & 0xFFFF_FFFFL;
    } while (c < 4);
    this.creation = c;
    this.nodeAtom = ErlAtom.of(settings.nodeName());
  }

  public Vertx vertx() {
    return vertx;
  }

  public DistSettings settings() {
    return settings;
  }

  public SessionGate gate() {
    return gate;
  }

  public DistObserver observer() {
    return observer;
  }

  public long creation() {
    return creation;
  }

  /** An unsigned 32-bit handshake challenge from a CSPRNG. */
  public long challenge() {
    return random.nextInt() & 0xFFFF_FFFFL;
  }

  /** A new session process id: 15 bits of number and 13 of serial, as every OTP release reads them. */
  public ErlPid newProcess() {
    long n = nextProcess.getAndIncrement();
    return new ErlPid(nodeAtom, n & 0x7FFF, (n >>> 15) & 0x1FFF, creation);
  }

  /** Admits a new socket against the limits; null when admitted, otherwise the refusal. */
  public DistObserver.Refusal admitSocket(String address) {
    if (connections.incrementAndGet() > settings.maxConnections()) {
      connections.decrementAndGet();
      return DistObserver.Refusal.CONNECTION_LIMIT;
    }
    if (handshakes.incrementAndGet() > settings.maxPendingHandshakes()) {
      handshakes.decrementAndGet();
      connections.decrementAndGet();
      return DistObserver.Refusal.HANDSHAKE_LIMIT;
    }
    int perAddress = handshakesByAddress.merge(address, 1, Integer::sum);
    if (perAddress > settings.maxHandshakesPerAddress()) {
      handshakeFinished(address);
      connections.decrementAndGet();
      return DistObserver.Refusal.ADDRESS_LIMIT;
    }
    return null;
  }

  /** A handshake ended, either way. */
  public void handshakeFinished(String address) {
    handshakes.decrementAndGet();
    handshakesByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** A socket closed. */
  public void socketClosed() {
    connections.decrementAndGet();
  }

  public void established(Connection connection) {
    established.add(connection);
  }

  public void gone(Connection connection) {
    established.remove(connection);
  }

  public int connectionCount() {
    return connections.get();
  }

  public int sessionCount() {
    return established.size();
  }

  public int handshakeCount() {
    return handshakes.get();
  }

  public Set<Connection> establishedConnections() {
    return established;
  }
}
