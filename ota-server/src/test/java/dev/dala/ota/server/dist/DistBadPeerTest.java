package dev.dala.ota.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.dist.internal.DistFlags;
import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlRef;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.testing.otp.OtpRuntime;
import io.vertx.core.Vertx;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers on both ports. Each case shows the refusal or the close, that it is counted
 * under its own reason, and that a real node's session running at the same time completes.
 */
class DistBadPeerTest {

  static final String SERVER = "ota@127.0.0.1";
  static final String ATTACKER = "127.0.0.2";
  static Vertx vertx;
  static DistEndpoint endpoint;
  static TestGate gate;
  static CountingObserver observer = new CountingObserver();
  static DistPeer node;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gate = new TestGate(EchoHandler::new);
    DistSettings settings = DistSettings.builder().nodeName(SERVER).bindHost("127.0.0.1").epmdPort(0).distPort(0)
        .listeners(2).handshakeTimeout(Duration.ofSeconds(2)).epmdTimeout(Duration.ofSeconds(1))
        .idleTimeout(Duration.ofSeconds(6)).tickInterval(Duration.ofSeconds(1))
        .maxHandshakesPerAddress(16).maxFragmentedMessages(4).maxFragmentsPerMessage(64).build();
    endpoint = DistEndpoint.start(vertx, settings, gate, observer).toCompletionStage().toCompletableFuture().join();
    node = DistPeer.compile(OtpRuntime.host());
  }

  @AfterAll
  static void stop() {
    node.close();
    endpoint.stop().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** A real node's session that stays connected for a while and then proves it still works. */
  private static CompletableFuture<String> goodSession() {
    String[] session = gate.openSession();
    return node.start(endpoint.epmdPort(), "hold", SERVER, session[0], session[1], "2500");
  }

  private static RawDistClient attacker() throws IOException {
    return RawDistClient.connect(endpoint.distPort(), ATTACKER);
  }

  /** An attacker that completed a real handshake with a session it obtained. */
  private static RawDistClient connectedAttacker() throws IOException {
    String[] session = gate.openSession();
    RawDistClient client = attacker();
    assertThat(client.handshake(session[0], session[1])).isTrue();
    return client;
  }

  private static byte[] headed(byte[] body) {
    return ByteBuffer.allocate(3 + body.length).put((byte) 131).put((byte) 68).put((byte) 0).put(body).array();
  }

  private static byte[] firstFragment(long sequence, long count, int dataBytes) {
    return ByteBuffer.allocate(19 + dataBytes).put((byte) 131).put((byte) 69).putLong(sequence).putLong(count)
        .put((byte) 0).array();
  }

  private static byte[] continuation(long sequence, long fragment, int dataBytes) {
    return ByteBuffer.allocate(18 + dataBytes).put((byte) 131).put((byte) 70).putLong(sequence).putLong(fragment)
        .array();
  }

  @Test
  void garbageBeforeTheHandshakeIsRefused() throws Exception {
    CompletableFuture<String> good = goodSession();
    int oversized = observer.count("refused:oversized_frame");
    int malformed = observer.count("refused:malformed_handshake");
    try (RawDistClient http = attacker(); RawDistClient framed = attacker()) {
      http.write("GET / HTTP/1.1\r\nHost: ota\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      framed.handshakeFrame("hello, node".getBytes(StandardCharsets.US_ASCII));
      assertThat(http.closedWithin(Duration.ofSeconds(3))).isTrue();
      assertThat(framed.closedWithin(Duration.ofSeconds(3))).isTrue();
    }
    assertThat(observer.count("refused:oversized_frame")).isEqualTo(oversized + 1);
    assertThat(observer.count("refused:malformed_handshake")).isEqualTo(malformed + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void anOversizedLengthPrefixIsRefusedWithoutReadingIt() throws Exception {
    CompletableFuture<String> good = goodSession();
    int handshake = observer.count("refused:oversized_frame");
    int connected = observer.count("closed:oversized_frame");
    try (RawDistClient early = attacker(); RawDistClient late = connectedAttacker()) {
      early.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 'N', 0, 0});
      late.write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 131});
      assertThat(early.closedWithin(Duration.ofSeconds(3))).isTrue();
      assertThat(late.closedWithin(Duration.ofSeconds(3))).isTrue();
    }
    assertThat(observer.count("refused:oversized_frame")).isEqualTo(handshake + 1);
    assertThat(observer.awaitCount("closed:oversized_frame", connected + 1)).isEqualTo(connected + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void aSlowLorisHandshakeIsCutAtTheDeadline() throws Exception {
    CompletableFuture<String> good = goodSession();
    int before = observer.count("refused:handshake_timeout");
    try (RawDistClient slow = attacker()) {
      byte[] name = RawDistClient.nameMessage(DistFlags.ADVERTISED, gate.openSession()[0]);
      byte[] framed = ByteBuffer.allocate(2 + name.length).putShort((short) name.length).put(name).array();
      CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
        try {
          for (byte b : framed) {
            slow.write(new byte[] {b});
            Thread.sleep(200);
          }
        } catch (IOException | InterruptedException e) {
          // the endpoint closed the socket, as it should
        }
      });
      long started = System.nanoTime();
      assertThat(slow.closedWithin(Duration.ofSeconds(5))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4500));
      dribble.join();
    }
    assertThat(observer.count("refused:handshake_timeout")).isEqualTo(before + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void aWrongCookieAndAReplayedSessionAreRefused() throws Exception {
    CompletableFuture<String> good = goodSession();
    int badCookie = observer.count("refused:bad_cookie");
    int unknown = observer.count("refused:unknown_session");
    String[] session = gate.openSession();
    try (RawDistClient wrong = attacker()) {
      assertThat(wrong.handshake(session[0], "f".repeat(64))).isFalse();
    }
    try (RawDistClient first = attacker(); RawDistClient replay = attacker()) {
      assertThat(first.handshake(session[0], session[1])).isTrue();
      replay.handshakeFrame(RawDistClient.nameMessage(DistFlags.ADVERTISED, session[0]));
      assertThat(new String(replay.readHandshakeFrame(), StandardCharsets.US_ASCII)).isEqualTo("snot_allowed");
    }
    assertThat(observer.count("refused:bad_cookie")).isEqualTo(badCookie + 1);
    assertThat(observer.count("refused:unknown_session")).isEqualTo(unknown + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void namesFlagsAndVersionsABeamWouldRejectAreRefused() throws Exception {
    CompletableFuture<String> good = goodSession();
    String node = gate.openSession()[0];
    int flags = observer.count("refused:missing_flags");
    int dynamic = observer.count("refused:dynamic_name");
    int notNode = observer.count("refused:not_a_session");
    int old = observer.count("refused:old_protocol");
    try (RawDistClient noV4 = attacker(); RawDistClient nameMe = attacker(); RawDistClient badName = attacker();
        RawDistClient v5 = attacker()) {
      noV4.handshakeFrame(RawDistClient.nameMessage(DistFlags.ADVERTISED & ~DistFlags.V4_NC, node));
      nameMe.handshakeFrame(RawDistClient.nameMessage(DistFlags.ADVERTISED | DistFlags.NAME_ME, node));
      badName.handshakeFrame(RawDistClient.nameMessage(DistFlags.ADVERTISED, "no host part"));
      v5.handshakeFrame(new byte[] {'n', 0, 5, 0, 0, 0x7F, (byte) 0xFD, 'x', '@', 'y'});
      for (RawDistClient c : List.of(noV4, nameMe, badName)) {
        assertThat(new String(c.readHandshakeFrame(), StandardCharsets.US_ASCII)).isEqualTo("snot_allowed");
        assertThat(c.closedWithin(Duration.ofSeconds(3))).isTrue();
      }
      assertThat(v5.closedWithin(Duration.ofSeconds(3))).isTrue();
    }
    assertThat(observer.count("refused:missing_flags")).isEqualTo(flags + 1);
    assertThat(observer.count("refused:dynamic_name")).isEqualTo(dynamic + 1);
    assertThat(observer.count("refused:not_a_session")).isEqualTo(notNode + 1);
    assertThat(observer.count("refused:old_protocol")).isEqualTo(old + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void fragmentBombsCloseTheConnection() throws Exception {
    CompletableFuture<String> good = goodSession();
    int violations = observer.count("closed:fragment_violation");
    int oversized = observer.count("closed:oversized_message");
    try (RawDistClient hugeCount = connectedAttacker(); RawDistClient tooMany = connectedAttacker();
        RawDistClient growing = connectedAttacker(); RawDistClient orphan = connectedAttacker()) {
      hugeCount.frame(firstFragment(1, 1L << 40, 16));
      for (int sequence = 1; sequence <= 5; sequence++) {
        tooMany.frame(firstFragment(sequence, 3, 16));
      }
      growing.frame(firstFragment(7, 40, 60_000));
      for (int fragment = 39; fragment > 1; fragment--) {
        growing.frame(continuation(7, fragment, 60_000));
      }
      orphan.frame(continuation(99, 2, 16));
      for (RawDistClient c : List.of(hugeCount, tooMany, growing, orphan)) {
        assertThat(c.closedWithin(Duration.ofSeconds(3))).isTrue();
      }
    } catch (IOException e) {
      // writes after the endpoint closed the growing peer fail; that is the point
    }
    assertThat(observer.awaitCount("closed:fragment_violation", violations + 3)).isEqualTo(violations + 3);
    assertThat(observer.awaitCount("closed:oversized_message", oversized + 1)).isEqualTo(oversized + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void aRealNodeSendingMoreThanTheMessageCapIsDisconnected() {
    CompletableFuture<String> good = goodSession();
    int before = observer.count("closed:oversized_message");
    String[] session = gate.openSession();
    assertThat(node.run(endpoint.epmdPort(), "oversized", SERVER, session[0], session[1]))
        .isEqualTo("closed_by_server");
    assertThat(observer.awaitCount("closed:oversized_message", before + 1)).isEqualTo(before + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void undecodableAndUnknownMessagesAreDroppedAndTheConnectionStays() throws Exception {
    CompletableFuture<String> good = goodSession();
    int undecodable = observer.count("dropped:undecodable");
    int unknown = observer.count("dropped:unknown_operation");
    int named = observer.count("dropped:registered_name");
    try (RawDistClient peer = connectedAttacker()) {
      peer.frame(headed(new byte[] {104, 3, 97}));
      peer.frame(headed(EtfEncoder.encodeBody(ErlTuple.of(ErlInteger.of(99), ErlAtom.of("x")))));
      ErlTuple regSend = ErlTuple.of(ErlInteger.of(6), ErlAtom.of(""), ErlAtom.of(""), ErlAtom.of("rex"));
      byte[] control = EtfEncoder.encodeBody(regSend);
      byte[] payload = EtfEncoder.encodeBody(ErlAtom.of("call_me"));
      peer.frame(headed(ByteBuffer.allocate(control.length + payload.length).put(control).put(payload).array()));
      peer.frame(new byte[0]); // a tick
      assertThat(peer.closedWithin(Duration.ofMillis(800))).isFalse();
    }
    assertThat(observer.count("dropped:undecodable")).isEqualTo(undecodable + 1);
    assertThat(observer.count("dropped:unknown_operation")).isEqualTo(unknown + 1);
    assertThat(observer.count("dropped:registered_name")).isEqualTo(named + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void aConnectionFloodFromOneAddressIsCappedAndOthersStillConnect() throws Exception {
    CompletableFuture<String> good = goodSession();
    int before = observer.count("refused:address_limit");
    List<RawDistClient> flood = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        flood.add(attacker());
      }
      int closed = 0;
      for (RawDistClient c : flood) {
        if (c.closedWithin(Duration.ofSeconds(4))) {
          closed++;
        }
      }
      assertThat(closed).isEqualTo(60); // the first 16 at the handshake deadline, the rest at once
    } finally {
      for (RawDistClient c : flood) {
        c.close();
      }
    }
    assertThat(observer.count("refused:address_limit")).isEqualTo(before + 44);
    assertThat(good.join()).isEqualTo("{held,true}");
    assertThat(endpoint.handshakes()).isZero();
  }

  /** The session process's pid, from the greeting the endpoint sends after the handshake. */
  private static ErlPid serverPid(RawDistClient client) throws Exception {
    byte[] hello = client.readFrame();
    var control = EtfDecoder.decodeBodyAt(hello, 3, hello.length,
        EtfLimits.DEFAULT);
    var payload = EtfDecoder.decodeBodyAt(hello, control.end(), hello.length,
        EtfLimits.DEFAULT);
    return (ErlPid) ((ErlTuple) payload.term()).get(1);
  }

  private static byte[] headed(ErlTuple control, ErlTerm payload) {
    byte[] c = EtfEncoder.encodeBody(control);
    byte[] p = EtfEncoder.encodeBody(payload);
    return headed(ByteBuffer.allocate(c.length + p.length).put(c).put(p).array());
  }

  @Test
  void aMapOfCollidingKeysIsRefusedBeforeItCostsQuadraticTime() throws Exception {
    CompletableFuture<String> good = goodSession();
    int undecodable = observer.count("dropped:undecodable");
    try (RawDistClient peer = connectedAttacker()) {
      var server = serverPid(peer);
      // Keys whose hash codes all collide (Long.hashCode of (h << 32) | (h ^ c) is c).
      java.util.Map<ErlTerm, ErlTerm> colliding =
          new java.util.LinkedHashMap<>();
      for (long h = 1; h <= 20_000; h++) {
        colliding.put(ErlInteger.of((h << 32) | (h ^ 0x5A5A)), ErlAtom.of("x"));
      }
      ErlTuple send = ErlTuple.of(ErlInteger.of(22), new ErlPid(
          ErlAtom.of(gate.lastNode()), 1, 0, 1), server);
      peer.frame(headed(send, new ErlMap(colliding)));
      peer.frame(new byte[0]);
      assertThat(peer.closedWithin(Duration.ofMillis(500))).isFalse();
    }
    assertThat(observer.count("dropped:undecodable")).isEqualTo(undecodable + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void controlMessagesABeamWouldRejectCloseTheConnection() throws Exception {
    CompletableFuture<String> good = goodSession();
    int violations = observer.count("closed:protocol_violation");
    List<RawDistClient> peers = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    try {
      List<ErlPid> servers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String[] session = gate.openSession();
        RawDistClient client = attacker();
        peers.add(client);
        assertThat(client.handshake(session[0], session[1])).isTrue();
        nodes.add(session[0]);
        servers.add(serverPid(client));
      }
      var foreign = new ErlPid(ErlAtom.of("someone@elsewhere"), 1, 0, 1);
      // A link from a process of another node.
      peers.get(0).frame(headed(EtfEncoder.encodeBody(ErlTuple.of(ErlInteger.of(1), foreign, servers.get(0)))));
      // An unlink id that is no 64-bit integer, as a 70 KB binary to echo back.
      peers.get(1).frame(headed(EtfEncoder.encodeBody(ErlTuple.of(ErlInteger.of(35),
          new ErlBinary(new byte[70_000]), ownPid(nodes.get(1)), servers.get(1)))));
      // A monitor on something that is neither a pid nor a name.
      peers.get(2).frame(headed(EtfEncoder.encodeBody(ErlTuple.of(ErlInteger.of(19), ownPid(nodes.get(2)),
          new ErlBinary(new byte[70_000]), ref(nodes.get(2), 1)))));
      // More monitors than any agent needs.
      for (int i = 0; i < 20; i++) {
        peers.get(3).frame(headed(EtfEncoder.encodeBody(ErlTuple.of(ErlInteger.of(19), ownPid(nodes.get(3)),
            servers.get(3), ref(nodes.get(3), i)))));
      }
      for (RawDistClient p : peers) {
        assertThat(p.closedWithin(Duration.ofSeconds(3))).isTrue();
      }
    } finally {
      for (RawDistClient p : peers) {
        p.close();
      }
    }
    assertThat(observer.awaitCount("closed:protocol_violation", violations + 4)).isEqualTo(violations + 4);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  private static ErlPid ownPid(String node) {
    return new ErlPid(ErlAtom.of(node), 1, 0, 1);
  }

  private static ErlRef ref(String node, int id) {
    return new ErlRef(ErlAtom.of(node), 1, new int[] {id, 0, 0});
  }

  @Test
  void aPeerThatStopsReadingIsCutOffAndEverythingItHeldIsReleased() throws Exception {
    CompletableFuture<String> good = goodSession();
    int idle = observer.count("closed:idle_timeout");
    int before = endpoint.connections();
    try (RawDistClient peer = connectedAttacker()) {
      var server = serverPid(peer);
      var own = new ErlPid(ErlAtom.of(gate.lastNode()), 1, 0, 1);
      // Echo requests whose answers the peer never reads, then more input than any buffer holds.
      byte[] request = headed(ErlTuple.of(ErlInteger.of(22), own, server),
          ErlTuple.of(ErlAtom.of("echo"), new ErlBinary(new byte[200_000])));
      CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            peer.frame(request);
          }
        } catch (IOException e) {
          // the endpoint cut the connection
        }
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (endpoint.connections() > before && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(endpoint.connections()).isEqualTo(before);
      peer.close();
      flood.join();
    }
    assertThat(observer.awaitCount("closed:idle_timeout", idle + 1)).isEqualTo(idle + 1);
    assertThat(good.join()).isEqualTo("{held,true}");
  }

  @Test
  void epmdAnswersForItsOwnNodeOnlyAndClosesOnGarbage() throws Exception {
    assertThat(epmd(portPlease("ota"))).startsWith(new byte[] {119, 0});
    byte[] answer = epmd(portPlease("ota"));
    ByteBuffer b = ByteBuffer.wrap(answer);
    assertThat(b.get(2) & 0xFF).isEqualTo(endpoint.distPort() >> 8);
    assertThat(b.getShort(2) & 0xFFFF).isEqualTo(endpoint.distPort());
    assertThat(b.getShort(6)).isEqualTo((short) 6);
    assertThat(b.getShort(8)).isEqualTo((short) 6);
    assertThat(epmd(portPlease("someone_else"))).containsExactly(119, 1);
    assertThat(epmd(new byte[] {0, 1, 120})).startsWith(new byte[] {121, 1});
    int malformed = observer.count("epmd:malformed");
    int timeouts = observer.count("epmd:timeout");
    assertThat(epmd(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3})).isEmpty();
    try (Socket silent = new Socket("127.0.0.1", endpoint.epmdPort())) {
      silent.setSoTimeout(5000);
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(observer.count("epmd:malformed")).isEqualTo(malformed + 1);
    assertThat(observer.count("epmd:timeout")).isEqualTo(timeouts + 1);
  }

  @Test
  void epmdConnectionsBeyondTheLimitAreClosedUnansweredUntilOneEnds() throws Exception {
    CountingObserver counted = new CountingObserver();
    DistSettings settings = DistSettings.builder().nodeName(SERVER).bindHost("127.0.0.1").epmdPort(0).distPort(0)
        .listeners(1).epmdTimeout(Duration.ofSeconds(10)).maxEpmdConnections(2).build();
    DistEndpoint small = DistEndpoint.start(vertx, settings, gate, counted)
        .toCompletionStage().toCompletableFuture().join();
    try (Socket first = new Socket("127.0.0.1", small.epmdPort());
        Socket second = new Socket("127.0.0.1", small.epmdPort())) {
      // Both slots are held by silent clients, so a third is turned away without an answer.
      assertThat(epmd(small.epmdPort(), portPlease("ota"))).isEmpty();
      assertThat(counted.count("epmd:connection_limit")).isEqualTo(1);
      first.close();
      // Once a slot frees, requests are answered again.
      byte[] answer = new byte[0];
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (answer.length == 0 && System.nanoTime() < deadline) {
        answer = epmd(small.epmdPort(), portPlease("ota"));
      }
      assertThat(answer).startsWith(new byte[] {119, 0});
      assertThat(second.isConnected()).isTrue();
    } finally {
      small.stop().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static byte[] portPlease(String alive) {
    byte[] name = alive.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(3 + name.length).putShort((short) (1 + name.length)).put((byte) 122).put(name).array();
  }

  private static byte[] epmd(byte[] request) throws IOException {
    return epmd(endpoint.epmdPort(), request);
  }

  private static byte[] epmd(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request);
      return new DataInputStream(socket.getInputStream()).readAllBytes();
    }
  }
}
