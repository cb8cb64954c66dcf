package dev.dala.ota.server.dist;

import dev.dala.ota.signer.session.SessionCookie;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sessions kept in memory, for testing the transport on its own; the server's gate keeps them
 * in PostgreSQL. Single use like the real one: a claim succeeds once per name.
 */
final class TestGate implements SessionGate {

  private final Map<String, SessionCookie> open = new ConcurrentHashMap<>();
  private final java.util.List<String> issued = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Supplier<SessionHandler> handlers;

  TestGate(Supplier<SessionHandler> handlers) {
    this.handlers = handlers;
  }

  /** Opens a session for a fresh device node name on {@code host}; returns {name, cookie}. */
  String[] openSession() {
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    String node = "dala_" + HexFormat.of().formatHex(id) + "@127.0.0.1";
    byte[] cookie = new byte[32];
    new SecureRandom().nextBytes(cookie);
    String value = HexFormat.of().formatHex(cookie);
    open.put(node, SessionCookie.of(value));
    issued.add(node);
    return new String[] {node, value};
  }

  /** The node name of the latest session opened. */
  String lastNode() {
    return issued.get(issued.size() - 1);
  }


  @Override
  public Future<Admission> admit(String node, String remoteAddress) {
    SessionCookie cookie = open.get(node);
    return Future.succeededFuture(cookie == null ? Admission.refused() : Admission.of(cookie, node));
  }

  @Override
  public Future<SessionHandler> claim(Admission admission) {
    return Future.succeededFuture(open.remove((String) admission.session()) != null ? handlers.get() : null);
  }
}
