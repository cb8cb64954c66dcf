package dev.dala.ota.server.dist;

import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlTerm;
import io.vertx.core.Context;

/** What a session handler can do with its connection. Call it only from the connection's context. */
public interface DistChannel {

  /** The session process's pid, as the peer sees it. */
  ErlPid self();

  /** The peer's node name. */
  String peerNode();

  /** The peer's IP address. */
  String remoteAddress();

  /** The connection's event-loop context, for timers and for completing work from elsewhere. */
  Context context();

  /** Sends {@code message} to a process on the peer; large messages go in fragments. */
  void send(ErlPid to, ErlTerm message);

  /** Sends {@code message} to a name registered on the peer. */
  void sendToRegistered(String name, ErlTerm message);

  /** Whether the socket's write queue is full; wait for {@link #whenWritable(Runnable)} before sending more. */
  boolean writeQueueFull();

  /** Runs {@code action} once the write queue has drained (at once when it is not full). */
  void whenWritable(Runnable action);

  /** Bytes written to the peer so far, handshake included. */
  long bytesWritten();

  /**
   * Ends the session process with {@code reason}: linked peer processes get an exit signal and
   * monitors a DOWN, as from a BEAM process, then the connection closes once they are written.
   */
  void close(ErlTerm reason);
}
