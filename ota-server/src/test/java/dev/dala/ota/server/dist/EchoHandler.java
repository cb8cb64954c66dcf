package dev.dala.ota.server.dist;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;
import java.util.concurrent.CompletableFuture;

/**
 * A session that greets the peer's {@code dala_ota_test} process, echoes {@code {echo, T}} back
 * to its sender as {@code {echoed, T}}, and ends on {@code {close, Reason}}.
 */
final class EchoHandler implements SessionHandler {

  final CompletableFuture<DistObserver.Closure> closed = new CompletableFuture<>();
  private DistChannel channel;

  @Override
  public void opened(DistChannel channel) {
    this.channel = channel;
    channel.sendToRegistered("dala_ota_test", ErlTuple.of(ErlAtom.of("hello"), channel.self()));
  }

  @Override
  public void received(ErlPid from, ErlTerm message) {
    if (message instanceof ErlTuple t && t.arity() == 2 && t.get(0).equals(ErlAtom.of("echo")) && from != null) {
      channel.send(from, ErlTuple.of(ErlAtom.of("echoed"), t.get(1)));
    } else if (message instanceof ErlTuple t && t.arity() == 2 && t.get(0).equals(ErlAtom.of("close"))) {
      channel.close(t.get(1));
    }
  }

  @Override
  public void exited(ErlPid from, ErlTerm reason) {}

  @Override
  public void closed(DistObserver.Closure reason) {
    closed.complete(reason);
  }
}
