package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.DistChannel;
import dev.dala.ota.server.dist.DistObserver.Closure;
import dev.dala.ota.server.dist.DistObserver.Drop;
import dev.dala.ota.server.dist.SessionHandler;
import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlRef;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One established distribution connection and the single session process behind it. It reads
 * frames (ticks, pass-through, headers, fragments), decodes control messages within limits,
 * keeps links and monitors the way a BEAM process would, and writes ticks when it has been
 * quiet. It never evaluates anything: messages reach the session handler as terms, and every
 * other operation is answered as for a process that does not exist, or dropped and counted.
 */
public final class Connection implements DistChannel, FrameSplitter.Sink {

  private static final ErlAtom NOPROC = ErlAtom.of("noproc");
  private static final ErlAtom NORMAL = ErlAtom.of("normal");
  private static final int VERSION = 131;
  private static final int PASS_THROUGH = 112;
  /** Links and monitors a peer may hold on the session process; an agent needs one of each. */
  static final int MAX_LINKS = 16;
  static final int MAX_MONITORS = 16;
  /** How long a graceful close may wait for the peer to read what is queued. */
  static final long CLOSE_GRACE_MILLIS = 5_000;
  private static final java.math.BigInteger MAX_UNLINK_ID = java.math.BigInteger.ONE.shiftLeft(64);

  private final EndpointCore core;
  private final NetSocket socket;
  private final Context context;
  private final FrameSplitter splitter;
  private final String peerNode;
  private final String remoteAddress;
  private final boolean fragments;
  private final boolean sendSender;
  private final ErlPid self;
  private final OutboundFrames out;
  private final Reassembly reassembly;
  private final EtfLimits limits;
  private final Set<ErlPid> links = new HashSet<>(2);
  private final Map<ErlRef, ErlPid> monitors = new HashMap<>(2);
  private SessionHandler handler;
  private long lastRead = System.nanoTime();
  private long lastWrite = System.nanoTime();
  private long bytesWritten;
  private long timer = -1;
  private long closeTimer = -1;
  private boolean readingPaused;
  private final java.util.ArrayDeque<Runnable> drainWaiters = new java.util.ArrayDeque<>();
  private boolean closing;
  private boolean finished;
  private Closure closure;

  Connection(EndpointCore core, NetSocket socket, Context context, FrameSplitter splitter, String peerNode,
      String remoteAddress, long flags, long handshakeBytes) {
    this.core = core;
    this.socket = socket;
    this.context = context;
    this.splitter = splitter;
    this.peerNode = peerNode;
    this.remoteAddress = remoteAddress;
    this.fragments = (flags & DistFlags.FRAGMENTS) != 0;
    this.sendSender = (flags & DistFlags.SEND_SENDER) != 0;
    this.self = core.newProcess();
    var settings = core.settings();
    this.out = new OutboundFrames(fragments, settings.outboundFragmentBytes());
    this.reassembly = new Reassembly(settings.maxMessageBytes(), settings.maxFragmentsPerMessage(),
        settings.maxFragmentedMessages());
    // Session messages are small maps and lists; a cap on map entries keeps a map of keys whose
    // hash codes collide from costing quadratic time.
    this.limits = EtfLimits.DEFAULT.withMaxDepth(64).withMaxTerms(100_000).withMaxBinaryBytes(settings.maxMessageBytes())
        .withMaxMapEntries(1024);
    this.bytesWritten = handshakeBytes;
  }

  void start(SessionHandler sessionHandler) {
    this.handler = sessionHandler;
    core.established(this);
    splitter.mode(4, core.settings().maxFrameBytes());
    socket.handler(data -> {
      lastRead = System.nanoTime();
      splitter.feed(data, this);
    });
    socket.closeHandler(v -> finish());
    socket.drainHandler(v -> drained());
    long period = Math.max(50, Math.min(core.settings().tickInterval().toMillis(),
        core.settings().idleTimeout().toMillis()) / 3);
    timer = core.vertx().setPeriodic(period, id -> keepAlive());
    handler.opened(this);
    splitter.resume(this);
  }

  @Override
  public void frame(byte[] frame) {
    if (frame.length == 0 || closing) {
      return; // a tick; or input after we decided to close
    }
    try {
      if (fragments) {
        headed(frame);
      } else if ((frame[0] & 0xFF) == PASS_THROUGH) {
        dispatch(frame, 1, true);
      } else {
        throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "expected a pass-through message");
      }
    } catch (ProtocolViolation violation) {
      shutdown(violation.closure());
      return;
    } catch (RuntimeException e) {
      // Whatever a peer sends must never escape into the event loop.
      shutdown(Closure.PROTOCOL_VIOLATION);
      return;
    }
    if (!closing && !readingPaused && socket.writeQueueFull()) {
      // Replies to a peer that does not read would otherwise pile up: stop reading it instead.
      readingPaused = true;
      socket.pause();
    }
  }

  private void drained() {
    if (readingPaused && !closing) {
      readingPaused = false;
      socket.resume();
    }
    int waiting = drainWaiters.size();
    for (int i = 0; i < waiting && !socket.writeQueueFull(); i++) {
      drainWaiters.poll().run();
    }
  }

  @Override
  public void oversized(long length) {
    shutdown(Closure.OVERSIZED_FRAME);
  }

  /** A message with a distribution header: whole, first fragment, or continuation. */
  private void headed(byte[] f) throws ProtocolViolation {
    if (f.length < 3 || (f[0] & 0xFF) != VERSION) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "no distribution header");
    }
    switch (f[1]) {
      case 68 -> {
        requireNoAtomCache(f[2]);
        dispatch(f, 3, false);
      }
      case 69 -> {
        if (f.length < 19) {
          throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "short fragment header");
        }
        requireNoAtomCache(f[18]);
        byte[] whole = reassembly.first(u64(f, 2), u64(f, 10), f, 19);
        if (whole != null) {
          dispatch(whole, 0, false);
        }
      }
      case 70 -> {
        if (f.length < 18) {
          throw new ProtocolViolation(Closure.FRAGMENT_VIOLATION, "short fragment header");
        }
        byte[] whole = reassembly.next(u64(f, 2), u64(f, 10), f, 18);
        if (whole != null) {
          dispatch(whole, 0, false);
        }
      }
      default -> throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "unknown distribution header");
    }
  }

  /** A big-endian 64-bit field of a fragment header, read in place: frames are not copied to parse them. */
  private static long u64(byte[] f, int at) {
    return ByteBuffer.wrap(f).getLong(at);
  }

  /** The atom cache was never negotiated, so a header may not reference one. */
  private static void requireNoAtomCache(byte count) throws ProtocolViolation {
    if (count != 0) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "atom cache references without an atom cache");
    }
  }

  private void dispatch(byte[] bytes, int offset, boolean versioned) throws ProtocolViolation {
    ErlTerm control;
    ErlTerm payload = null;
    try {
      EtfDecoder.Decoded c = decode(bytes, offset, versioned);
      control = c.term();
      int end = c.end();
      int op = Control.opOf(control);
      if (op >= 0 && Control.hasPayload(op)) {
        EtfDecoder.Decoded p = decode(bytes, end, versioned);
        payload = p.term();
        end = p.end();
      }
      if (end != bytes.length) {
        core.observer().dropped(Drop.UNDECODABLE);
        return;
      }
    } catch (EtfException e) {
      core.observer().dropped(Drop.UNDECODABLE);
      return;
    }
    act(Control.read(control, payload));
  }

  /** Pass-through terms carry their own version byte; terms after a distribution header do not. */
  private EtfDecoder.Decoded decode(byte[] bytes, int offset, boolean versioned) throws EtfException {
    return versioned ? EtfDecoder.decodeAt(bytes, offset, bytes.length, limits)
        : EtfDecoder.decodeBodyAt(bytes, offset, bytes.length, limits);
  }

  /**
   * Acts on a control message. What erts treats as an invalid message (a pid that is not the
   * peer's, an unlink id that is not a nonzero 64-bit integer, a monitor target that is neither
   * a pid nor an atom) closes the connection, as it does on a BEAM node.
   */
  private void act(Control c) throws ProtocolViolation {
    switch (c) {
      case Control.Send s -> {
        if (self.equals(s.to()) && !closing) {
          handler.received(s.from(), s.message());
        } else {
          core.observer().dropped(Drop.UNKNOWN_RECIPIENT);
        }
      }
      case Control.RegSend r -> core.observer().dropped(Drop.REGISTERED_NAME);
      case Control.Link l -> {
        requirePeers(l.from());
        requireLocal(l.to());
        if (self.equals(l.to()) && !closing) {
          links.add(l.from());
          requireAtMost(links.size(), MAX_LINKS, "links");
        } else {
          write(Control.exit(l.to(), l.from(), NOPROC), null);
        }
      }
      case Control.UnlinkId u -> {
        requirePeers(u.from());
        requireLocal(u.to());
        if (!(u.id() instanceof dev.dala.ota.signer.etf.ErlInteger id) || id.toBigInteger().signum() <= 0
            || id.toBigInteger().compareTo(MAX_UNLINK_ID) >= 0) {
          throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "unlink id is not a nonzero 64-bit integer");
        }
        if (self.equals(u.to())) {
          links.remove(u.from());
        }
        write(Control.unlinkIdAck(u.id(), u.to(), u.from()), null);
      }
      case Control.Exit e -> {
        requirePeers(e.from());
        exit(e);
      }
      case Control.Monitor m -> {
        requirePeers(m.from());
        requireTarget(m.target());
        if (self.equals(m.target()) && !closing) {
          monitors.put(m.ref(), m.from());
          requireAtMost(monitors.size(), MAX_MONITORS, "monitors");
        } else {
          write(Control.monitorExit(m.target(), m.from(), m.ref(), NOPROC), null);
        }
      }
      case Control.Demonitor d -> {
        requirePeers(d.from());
        requireTarget(d.target());
        monitors.remove(d.ref());
      }
      case Control.Ignored i -> core.observer().dropped(Drop.UNSUPPORTED_OPERATION);
      case Control.Unknown u -> core.observer().dropped(Drop.UNKNOWN_OPERATION);
    }
  }

  private void requirePeers(ErlPid pid) throws ProtocolViolation {
    if (!pid.node().name().equals(peerNode)) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "a pid of another node as sender");
    }
  }

  private void requireLocal(ErlPid pid) throws ProtocolViolation {
    if (!pid.node().equals(self.node())) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "a pid of another node as recipient");
    }
  }

  private static void requireTarget(ErlTerm target) throws ProtocolViolation {
    if (!(target instanceof ErlPid) && !(target instanceof ErlAtom)) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "a monitor target that is neither a pid nor a name");
    }
  }

  private static void requireAtMost(int count, int max, String what) throws ProtocolViolation {
    if (count > max) {
      throw new ProtocolViolation(Closure.PROTOCOL_VIOLATION, "more than " + max + " " + what);
    }
  }

  /** A linked process's exit, or an exit signal; a BEAM process ignores a 'normal' signal. */
  private void exit(Control.Exit e) {
    if (!self.equals(e.to()) || closing) {
      core.observer().dropped(Drop.UNKNOWN_RECIPIENT);
      return;
    }
    if (e.signal() ? !NORMAL.equals(e.reason()) : links.remove(e.from())) {
      handler.exited(e.from(), e.reason());
    }
  }

  private void keepAlive() {
    long now = System.nanoTime();
    if (now - lastRead > core.settings().idleTimeout().toNanos()) {
      shutdown(Closure.IDLE_TIMEOUT);
    } else if (!closing && now - lastWrite >= core.settings().tickInterval().toNanos()) {
      writeBuffer(OutboundFrames.tick());
    }
  }

  private void write(ErlTerm control, ErlTerm payload) {
    List<Buffer> frames = out.frames(control, payload);
    for (Buffer frame : frames) {
      writeBuffer(frame);
    }
  }

  private void writeBuffer(Buffer frame) {
    bytesWritten += frame.length();
    lastWrite = System.nanoTime();
    socket.write(frame);
  }

  @Override
  public ErlPid self() {
    return self;
  }

  @Override
  public String peerNode() {
    return peerNode;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void send(ErlPid to, ErlTerm message) {
    if (!closing) {
      write(sendSender ? Control.sendSender(self, to) : Control.send(to), message);
    }
  }

  @Override
  public void sendToRegistered(String name, ErlTerm message) {
    if (!closing) {
      write(Control.regSend(self, ErlAtom.of(name)), message);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void whenWritable(Runnable action) {
    if (!socket.writeQueueFull()) {
      action.run();
      return;
    }
    drainWaiters.add(action);
  }

  @Override
  public long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public void close(ErlTerm reason) {
    if (closing) {
      return;
    }
    for (ErlPid linked : links) {
      write(Control.exit(self, linked, reason), null);
    }
    monitors.forEach((ref, watcher) -> write(Control.monitorExit(self, watcher, ref, reason), null));
    links.clear();
    monitors.clear();
    closing = true;
    closure = Closure.SESSION_ENDED;
    splitter.halt();
    socket.end();
    closeTimer = core.vertx().setTimer(CLOSE_GRACE_MILLIS, id -> Sockets.forceClose(socket));
  }

  /** Closes at once, for violations, idleness or shutdown. */
  public void shutdown(Closure reason) {
    if (closing && closure != Closure.SESSION_ENDED) {
      return;
    }
    closing = true;
    closure = reason;
    splitter.halt();
    Sockets.forceClose(socket);
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    closing = true;
    if (timer >= 0) {
      core.vertx().cancelTimer(timer);
    }
    if (closeTimer >= 0) {
      core.vertx().cancelTimer(closeTimer);
    }
    drainWaiters.clear();
    Closure reason = closure == null ? Closure.PEER_CLOSED : closure;
    core.gone(this);
    core.socketClosed();
    core.observer().closed(reason);
    handler.closed(reason);
  }
}
