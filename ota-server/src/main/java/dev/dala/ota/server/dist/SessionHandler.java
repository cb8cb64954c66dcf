package dev.dala.ota.server.dist;

import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlTerm;

/**
 * The session process behind one connection. Every callback runs on the connection's event
 * loop, one at a time; a handler must not block.
 */
public interface SessionHandler {

  /** The handshake finished; the channel can send. */
  void opened(DistChannel channel);

  /** A message addressed to the session process. {@code from} is null when the peer did not name it. */
  void received(ErlPid from, ErlTerm message);

  /** A linked peer process exited, or the peer sent the session process an exit signal. */
  void exited(ErlPid from, ErlTerm reason);

  /** The connection is gone; {@code reason} says why. Called exactly once. */
  void closed(DistObserver.Closure reason);
}
