package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.DistObserver;
import dev.dala.ota.server.dist.DistObserver.EpmdRequest;
import dev.dala.ota.server.dist.DistSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * Answers EPMD the way a real epmd does for one node: PORT_PLEASE2_REQ for the server's own
 * name (any other name gets the error result), and NAMES_REQ. It registers nobody: an
 * ALIVE2_REQ gets the error result. One request per connection, then the connection closes,
 * as with epmd. Every pod answers identically, so a load balancer can send a device anywhere.
 */
public final class EpmdResponder implements FrameSplitter.Sink {

  static final int PORT_PLEASE2_REQ = 122;
  static final int PORT2_RESP = 119;
  static final int NAMES_REQ = 110;
  static final int ALIVE2_REQ = 120;
  static final int ALIVE2_RESP = 121;
  /** Node type 72: a hidden node, which is what this endpoint is to every peer. */
  static final int HIDDEN_NODE = 72;
  static final int TCP_IPV4 = 0;
  static final int DIST_VERSION = 6;

  private final NetSocket socket;
  private final DistSettings settings;
  private final int epmdPort;
  private final int distPort;
  private final DistObserver observer;
  private final FrameSplitter splitter;
  private final long timer;
  private boolean answered;

  private EpmdResponder(Vertx vertx, NetSocket socket, DistSettings settings, int epmdPort, int distPort,
      DistObserver observer, Runnable onClosed) {
    this.socket = socket;
    this.settings = settings;
    this.epmdPort = epmdPort;
    this.distPort = distPort;
    this.observer = observer;
    this.splitter = new FrameSplitter(2, settings.maxEpmdRequestBytes());
    this.timer = vertx.setTimer(settings.epmdTimeout().toMillis(), id -> {
      if (!answered) {
        answered = true;
        observer.epmd(EpmdRequest.TIMEOUT);
        Sockets.forceClose(socket);
      }
    });
    socket.handler(data -> {
      if (!answered) {
        splitter.feed(data, this);
      }
    });
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      onClosed.run();
    });
  }

  /** Serves one EPMD connection; {@code onClosed} runs when it is gone. */
  public static void serve(Vertx vertx, NetSocket socket, DistSettings settings, int epmdPort, int distPort,
      DistObserver observer, Runnable onClosed) {
    new EpmdResponder(vertx, socket, settings, epmdPort, distPort, observer, onClosed);
  }

  @Override
  public void frame(byte[] request) {
    answered = true;
    splitter.halt();
    if (request.length == 0) {
      finish(EpmdRequest.MALFORMED, null);
      return;
    }
    switch (request[0] & 0xFF) {
      case PORT_PLEASE2_REQ -> portPlease(new String(request, 1, request.length - 1, StandardCharsets.UTF_8));
      case NAMES_REQ -> finish(EpmdRequest.NAMES, Buffer.buffer()
          .appendUnsignedInt(epmdPort)
          .appendString("name " + settings.alive() + " at port " + distPort + "\n", "UTF-8"));
      case ALIVE2_REQ -> finish(EpmdRequest.REGISTER_REFUSED, Buffer.buffer()
          .appendUnsignedByte((short) ALIVE2_RESP).appendUnsignedByte((short) 1).appendUnsignedShort(0));
      default -> finish(EpmdRequest.UNSUPPORTED, null);
    }
  }

  @Override
  public void oversized(long length) {
    answered = true;
    finish(EpmdRequest.MALFORMED, null);
  }

  private void portPlease(String alive) {
    if (!alive.equals(settings.alive())) {
      finish(EpmdRequest.PORT_PLEASE_OTHER_NODE,
          Buffer.buffer().appendUnsignedByte((short) PORT2_RESP).appendUnsignedByte((short) 1));
      return;
    }
    byte[] name = alive.getBytes(StandardCharsets.UTF_8);
    finish(EpmdRequest.PORT_PLEASE, Buffer.buffer()
        .appendUnsignedByte((short) PORT2_RESP)
        .appendUnsignedByte((short) 0)
        .appendUnsignedShort(distPort)
        .appendUnsignedByte((short) HIDDEN_NODE)
        .appendUnsignedByte((short) TCP_IPV4)
        .appendUnsignedShort(DIST_VERSION)
        .appendUnsignedShort(DIST_VERSION)
        .appendUnsignedShort(name.length)
        .appendBytes(name)
        .appendUnsignedShort(0));
  }

  private void finish(EpmdRequest request, Buffer answer) {
    observer.epmd(request);
    if (answer == null) {
      Sockets.forceClose(socket);
    } else {
      socket.write(answer).onComplete(done -> socket.close());
    }
  }
}
