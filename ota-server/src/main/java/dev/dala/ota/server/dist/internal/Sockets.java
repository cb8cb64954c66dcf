package dev.dala.ota.server.dist.internal;

import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/** Socket helpers the endpoint needs beyond Vert.x's public API. */
final class Sockets {

  private Sockets() {}

  /**
   * Closes at once, dropping anything still queued. {@code NetSocket.close()} waits until the
   * queue is flushed, which never happens while a hostile peer refuses to read.
   */
  static void forceClose(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }
}
