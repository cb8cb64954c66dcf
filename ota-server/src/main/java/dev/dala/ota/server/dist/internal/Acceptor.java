package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.Admission;
import dev.dala.ota.server.dist.DistObserver.Refusal;
import dev.dala.ota.server.dist.NodeNames;
import dev.dala.ota.server.dist.SessionHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The accepting side of the version-6 handshake for one socket (kernel's dist_util:
 * handshake_other_started). It reads the peer's name, asks the gate for the session's cookie,
 * sends its status and challenge, checks the peer's digest in constant time, claims the
 * session, acknowledges, and hands the socket to a {@link Connection}.
 *
 * <p>Refusals mirror a BEAM node: a name it will not talk to, or missing mandatory flags, get
 * {@code "snot_allowed"}; a wrong cookie gets the socket closed after the reply. The whole
 * handshake runs under one deadline.
 */
public final class Acceptor implements FrameSplitter.Sink {

  private enum Phase { AWAIT_NAME, AWAIT_ADMISSION, AWAIT_REPLY, AWAIT_CLAIM, DONE }

  private final EndpointCore core;
  private final NetSocket socket;
  private final Context context;
  private final String address;
  private final String limitKey;
  private final FrameSplitter splitter;
  private final long deadline;
  private Phase phase = Phase.AWAIT_NAME;
  private HandshakeMessages.Name peer;
  private Admission admission;
  private long challenge;
  private boolean socketClosed;
  private boolean handshakeCounted = true;

  private Acceptor(EndpointCore core, NetSocket socket, String address, String limitKey) {
    this.core = core;
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.address = address;
    this.limitKey = limitKey;
    this.splitter = new FrameSplitter(2, core.settings().maxHandshakeFrameBytes());
    this.deadline = core.vertx().setTimer(core.settings().handshakeTimeout().toMillis(), id -> {
      if (phase != Phase.DONE) {
        refuse(Refusal.HANDSHAKE_TIMEOUT, null);
      }
    });
    socket.handler(data -> splitter.feed(data, this));
    socket.closeHandler(v -> {
      socketClosed = true;
      if (phase != Phase.DONE) {
        refuse(Refusal.PEER_CLOSED, null);
      }
      core.socketClosed();
    });
  }

  /** Starts the handshake on a newly accepted socket, or refuses it at once over a limit. */
  public static void accept(EndpointCore core, NetSocket socket) {
    String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    String limitKey = limitKey(address);
    Refusal overLimit = core.admitSocket(limitKey);
    if (overLimit != null) {
      core.observer().refused(overLimit);
      Sockets.forceClose(socket);
      return;
    }
    new Acceptor(core, socket, address, limitKey);
  }

  /**
   * What the per-address handshake limit counts: the IPv4 address, or the IPv6 /64, since one
   * subscriber or host usually holds a whole /64 and could otherwise rotate through it.
   */
  static String limitKey(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    try {
      // A literal containing ':' is parsed, never looked up in DNS.
      java.net.InetAddress parsed = java.net.InetAddress.getByName(address);
      byte[] bytes = parsed.getAddress();
      if (bytes.length == 16) {
        return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
      }
      // An IPv4-mapped address is the IPv4 client it maps.
      return parsed.getHostAddress();
    } catch (java.net.UnknownHostException e) {
      // Not a literal address; count it as it is.
    }
    return address;
  }

  @Override
  public void frame(byte[] frame) {
    try {
      switch (phase) {
        case AWAIT_NAME -> name(frame);
        case AWAIT_REPLY -> reply(frame);
        default -> refuse(Refusal.MALFORMED_HANDSHAKE, null);
      }
    } catch (RuntimeException e) {
      refuse(Refusal.MALFORMED_HANDSHAKE, null);
    }
  }

  /** Waits for the gate: no frames are read meanwhile, and the socket stops reading too. */
  private void holdInput() {
    splitter.pause();
    socket.pause();
  }

  @Override
  public void oversized(long length) {
    refuse(Refusal.OVERSIZED_FRAME, null);
  }

  private void name(byte[] frame) {
    if (HandshakeMessages.isOldName(frame)) {
      refuse(Refusal.OLD_PROTOCOL, null);
      return;
    }
    Optional<HandshakeMessages.Name> parsed = HandshakeMessages.parseName(frame);
    if (parsed.isEmpty()) {
      refuse(Refusal.MALFORMED_HANDSHAKE, null);
      return;
    }
    peer = parsed.get();
    if ((peer.flags() & DistFlags.NAME_ME) != 0) {
      refuse(Refusal.DYNAMIC_NAME, "not_allowed");
      return;
    }
    if (DistFlags.missing(peer.flags()) != 0) {
      refuse(Refusal.MISSING_FLAGS, "not_allowed");
      return;
    }
    if (!NodeNames.isValid(peer.node())) {
      refuse(Refusal.NOT_A_SESSION, "not_allowed");
      return;
    }
    phase = Phase.AWAIT_ADMISSION;
    holdInput();
    core.gate().admit(peer.node(), address).onComplete(result -> context.runOnContext(v -> admitted(
        result.succeeded() && result.result() != null ? result.result() : Admission.refused())));
  }

  private void admitted(Admission answer) {
    if (phase != Phase.AWAIT_ADMISSION) {
      return;
    }
    if (!answer.admitted()) {
      refuse(Refusal.UNKNOWN_SESSION, "not_allowed");
      return;
    }
    admission = answer;
    challenge = core.challenge();
    phase = Phase.AWAIT_REPLY;
    socket.write(HandshakeMessages.status("ok").appendBuffer(HandshakeMessages.challenge(DistFlags.ADVERTISED,
        challenge, core.creation(), core.settings().nodeName())));
    socket.resume();
    splitter.resume(this);
  }

  private void reply(byte[] frame) {
    Optional<HandshakeMessages.ChallengeReply> parsed = HandshakeMessages.parseReply(frame);
    if (parsed.isEmpty()) {
      refuse(Refusal.MALFORMED_HANDSHAKE, null);
      return;
    }
    String cookie = admission.cookie().value();
    if (!MessageDigest.isEqual(parsed.get().digest(), HandshakeMessages.digest(challenge, cookie))) {
      refuse(Refusal.BAD_COOKIE, null);
      return;
    }
    long theirChallenge = parsed.get().challenge();
    phase = Phase.AWAIT_CLAIM;
    holdInput();
    core.gate().claim(admission).onComplete(result -> context.runOnContext(v -> claimed(
        result.succeeded() ? result.result() : null, HandshakeMessages.digest(theirChallenge, cookie))));
  }

  private void claimed(SessionHandler handler, byte[] ackDigest) {
    if (phase != Phase.AWAIT_CLAIM) {
      if (handler != null) {
        // The socket went away while the claim ran: the session is spent, and its handler says so.
        handler.closed(dev.dala.ota.server.dist.DistObserver.Closure.PEER_CLOSED);
      }
      return;
    }
    if (handler == null) {
      refuse(Refusal.SESSION_TAKEN, null);
      return;
    }
    phase = Phase.DONE;
    core.vertx().cancelTimer(deadline);
    finishHandshake();
    long flags = DistFlags.negotiated(peer.flags());
    Buffer ack = HandshakeMessages.ack(ackDigest);
    Connection connection = new Connection(core, socket, context, splitter, peer.node(), address, flags, ack.length());
    socket.write(ack);
    core.observer().connected();
    socket.resume();
    connection.start(handler);
  }

  private void refuse(Refusal reason, String status) {
    if (phase == Phase.DONE) {
      return;
    }
    phase = Phase.DONE;
    core.vertx().cancelTimer(deadline);
    finishHandshake();
    core.observer().refused(reason);
    splitter.halt();
    if (socketClosed) {
      return;
    }
    if (status != null) {
      socket.write(HandshakeMessages.status(status)).onComplete(done -> Sockets.forceClose(socket));
    } else {
      Sockets.forceClose(socket);
    }
  }

  private void finishHandshake() {
    if (handshakeCounted) {
      handshakeCounted = false;
      core.handshakeFinished(limitKey);
    }
  }
}
