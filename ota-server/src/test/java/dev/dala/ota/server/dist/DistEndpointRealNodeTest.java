package dev.dala.ota.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport against real nodes, OTP 25 from the host and OTP 29 from the sid root: the
 * handshake with a session cookie, its refusals, term round trips in both directions with
 * fragments, links and monitors, and no answer to rpc.
 */
class DistEndpointRealNodeTest {

  static final String SERVER = "ota@127.0.0.1";
  static Vertx vertx;
  static DistEndpoint endpoint;
  static TestGate gate;
  static CountingObserver observer = new CountingObserver();
  static final Map<String, DistPeer> peers = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gate = new TestGate(EchoHandler::new);
    DistSettings settings = DistSettings.builder().nodeName(SERVER).bindHost("127.0.0.1").epmdPort(0).distPort(0)
        .listeners(2).build();
    endpoint = DistEndpoint.start(vertx, settings, gate, observer).toCompletionStage().toCompletableFuture().join();
  }

  @AfterAll
  static void stop() {
    peers.values().forEach(DistPeer::close);
    endpoint.stop().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  static DistPeer peer(String runtime) {
    return peers.computeIfAbsent(runtime, r -> DistPeer.compile(r.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29()));
  }

  private static String run(String runtime, String scenario, String node, String cookie, String... args) {
    return peer(runtime).run(endpoint.epmdPort(), scenario, SERVER, node, cookie, args);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void aNodeConnectsWithTheSessionCookieAsAHiddenPeer(String runtime) {
    String[] session = gate.openSession();
    assertThat(run(runtime, "connect", session[0], session[1])).isEqualTo("{connected,true,true,[]}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void aWrongCookieIsRefused(String runtime) {
    String[] session = gate.openSession();
    int before = observer.count("refused:bad_cookie");
    assertThat(run(runtime, "connect", session[0], "0".repeat(64))).isEqualTo("refused");
    assertThat(observer.count("refused:bad_cookie")).isEqualTo(before + 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void aSessionConnectsOnlyOnce(String runtime) {
    String[] session = gate.openSession();
    assertThat(run(runtime, "connect", session[0], session[1])).startsWith("{connected,");
    int before = observer.count("refused:unknown_session");
    assertThat(run(runtime, "connect", session[0], session[1])).isEqualTo("refused");
    assertThat(observer.count("refused:unknown_session")).isEqualTo(before + 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void termsAModernNodeEmitsRoundTripInBothDirectionsWithFragments(String runtime) {
    String[] session = gate.openSession();
    String result = run(runtime, "echo", session[0], session[1]);
    assertThat(result).matches("\\{echo,\\d+,\\[\\],true\\}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void linkedAndMonitoringProcessesSeeTheSessionEndWithItsReason(String runtime) {
    String[] session = gate.openSession();
    assertThat(run(runtime, "link_and_monitor", session[0], session[1])).isEqualTo("{closed,finished,finished}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void aMonitoringProcessSeesTheSessionEndWithItsReason(String runtime) {
    String[] session = gate.openSession();
    assertThat(run(runtime, "monitor", session[0], session[1])).isEqualTo("{closed,noproc,finished}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void epmdNamesTheServerNodeAndItsPort(String runtime) {
    assertThat(run(runtime, "names", "unused@127.0.0.1", "unused", "127.0.0.1"))
        .isEqualTo("{ok,[{\"ota\"," + endpoint.distPort() + "}]}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void rpcGetsNoAnswerAndTheSessionCarriesOn(String runtime) {
    String[] session = gate.openSession();
    int before = observer.count("dropped:registered_name");
    String result = run(runtime, "rpc", session[0], session[1]);
    assertThat(result).isEqualTo("{rpc,no_answer,badrpc,true}");
    assertThat(observer.count("dropped:registered_name")).isGreaterThan(before);
  }
}
