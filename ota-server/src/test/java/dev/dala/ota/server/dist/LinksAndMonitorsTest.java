package dev.dala.ota.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlRef;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfLimits;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session process keeps links and monitors as a BEAM process does, watched from the wire:
 * a peer monitors it twice and demonitors once, links and unlinks (and gets its
 * acknowledgement), links a pid that does not exist (and gets noproc); when the session ends,
 * exactly the remaining monitor fires, with the session's reason, and no link does.
 */
class LinksAndMonitorsTest {

  static Vertx vertx;
  static DistEndpoint endpoint;
  static TestGate gate;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gate = new TestGate(EchoHandler::new);
    endpoint = DistEndpoint.start(vertx, DistSettings.builder().bindHost("127.0.0.1").epmdPort(0).distPort(0)
        .listeners(1).build(), gate, DistObserver.NONE).toCompletionStage().toCompletableFuture().join();
  }

  @AfterAll
  static void stop() {
    endpoint.stop().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static byte[] headed(ErlTerm control, ErlTerm payload) {
    byte[] c = EtfEncoder.encodeBody(control);
    byte[] p = payload == null ? new byte[0] : EtfEncoder.encodeBody(payload);
    return ByteBuffer.allocate(3 + c.length + p.length).put((byte) 131).put((byte) 68).put((byte) 0).put(c).put(p)
        .array();
  }

  /** A frame the endpoint wrote: its control tuple and payload (null when none). */
  private static ErlTerm[] read(byte[] frame) throws Exception {
    assertThat(frame[0] & 0xFF).isEqualTo(131);
    assertThat(frame[1]).isEqualTo((byte) 68);
    var control = EtfDecoder.decodeBodyAt(frame, 3, frame.length, EtfLimits.DEFAULT);
    ErlTerm payload = control.end() == frame.length ? null
        : EtfDecoder.decodeBodyAt(frame, control.end(), frame.length, EtfLimits.DEFAULT).term();
    return new ErlTerm[] {control.term(), payload};
  }

  @Test
  void linksAndMonitorsEndWithTheSessionAsForABeamProcess() throws Exception {
    String[] session = gate.openSession();
    ErlAtom peer = ErlAtom.of(session[0]);
    ErlPid device = new ErlPid(peer, 40, 0, 0x1234_5678L);
    ErlPid ghost = new ErlPid(ErlAtom.of("ota@127.0.0.1"), 9999, 0, 1);
    ErlRef kept = new ErlRef(peer, 0x1234_5678L, new int[] {1, 2, 3});
    ErlRef dropped = new ErlRef(peer, 0x1234_5678L, new int[] {4, 5, 6});
    try (RawDistClient client = RawDistClient.connect(endpoint.distPort(), "127.0.0.1")) {
      assertThat(client.handshake(session[0], session[1])).isTrue();
      ErlTerm[] hello = read(client.readFrame());
      ErlPid server = (ErlPid) ((ErlTuple) hello[1]).get(1);

      client.frame(headed(ErlTuple.of(ErlInteger.of(19), device, server, kept), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(19), device, server, dropped), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(20), device, server, dropped), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(1), device, server), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(35), ErlInteger.of(7), device, server), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(1), device, ghost), null));
      client.frame(headed(ErlTuple.of(ErlInteger.of(22), device, server),
          ErlTuple.of(ErlAtom.of("close"), ErlAtom.of("finished"))));

      List<ErlTerm> controls = new ArrayList<>();
      for (byte[] frame = client.readFrame(); frame != null; frame = client.readFrame()) {
        controls.add(read(frame)[0]);
      }
      assertThat(controls).containsExactly(
          ErlTuple.of(ErlInteger.of(36), ErlInteger.of(7), server, device),
          ErlTuple.of(ErlInteger.of(3), ghost, device, ErlAtom.of("noproc")),
          ErlTuple.of(ErlInteger.of(21), server, device, kept, ErlAtom.of("finished")));
    }
  }
}
