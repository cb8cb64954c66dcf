package dev.dala.ota.server.dist;

import io.vertx.core.Future;

/**
 * Where the endpoint learns which sessions exist. It runs no code a peer sends: a name comes
 * in, a cookie (or a refusal) goes out, and a successful handshake claims the session once.
 */
public interface SessionGate {

  /**
   * The session the connecting node's name belongs to. A failed future counts as a refusal.
   *
   * @param node the name from the peer's handshake, already checked to be well formed
   * @param remoteAddress the peer's IP address
   */
  Future<Admission> admit(String node, String remoteAddress);

  /**
   * Marks the session used, atomically across every server, and returns the handler that runs
   * it. Completes with null when another connection took it first or it expired meanwhile;
   * the endpoint then closes the connection before acknowledging the handshake.
   */
  Future<SessionHandler> claim(Admission admission);
}
