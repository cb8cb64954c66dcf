package dev.dala.ota.server.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Database;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.testing.otp.OtpRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole delivery sessions against real nodes: a check-in offers a session, the node derives
 * nothing from the wire but connects with the cookie its own key agrees, receives the manifest
 * and modules, loads them, and reports; the server files events and spends the session.
 */
@QuarkusTest
class DeliverySessionTest extends ServerTest {

  @Inject
  DistService dist;

  private static OtpRuntime runtime(String name) {
    return name.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29();
  }

  /** An app with one production channel deployed to everyone, and a device on its base. */
  private TestDevice deployed(OtpRuntime otp, String otpRelease, Path... ebin) {
    String app = createApp();
    String channelKey = createChannel(app, "production");
    String base = registerBase(app, "android", otpRelease, List.of());
    long sequence = publish(app, Modules.draft(app, "v1", ebin), 201).getLong("sequence");
    admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    return new TestDevice(channelKey, "device-" + java.util.UUID.randomUUID(), "android", otpRelease, base);
  }

  private static Path smallRelease(OtpRuntime otp) {
    return GeneratedModules.compile(otp, "small", 3, 4);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void aNodeReceivesLoadsAndReportsTheReleaseThenTheSessionIsSpent(String name) throws Exception {
    OtpRuntime otp = runtime(name);
    String release = otp.otpRelease();
    TestDevice device = deployed(otp, release, smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    assertThat(session.deviceNode()).startsWith("dala_" + HexFormat.of().formatHex(session.id()) + "@");
    String hex = HexFormat.of().formatHex(session.id());

    String result = SessionDevice.run(otp, dist.epmdPort(), "deliver", session);
    assertThat(result).startsWith("{delivered,3,").contains(",applied,closed,[],[");

    assertThat(Database.count("select count(*) from dist_session where encode(id, 'hex') = ?1 and state = 'applied'"
        + " and cookie_ciphertext is null and modules_sent = 3", hex)).isEqualTo(1);
    assertThat(Database.count("select count(*) from install_event e join device d on d.id = e.device_id"
        + " where d.install_id = ?1 and e.kind in ('downloaded', 'applied')", device.installId)).isEqualTo(2);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "connect_only", session)).isEqualTo("refused");
    String log = java.nio.file.Files.readString(Path.of(System.getProperty("dala.test.server-log")));
    assertThat(log).isNotEmpty().doesNotContain(session.cookie());
  }

  @Test
  void theLoadedModulesAreTheReleasesModules() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    Path ebin = smallRelease(otp);
    TestDevice device = deployed(otp, otp.otpRelease(), ebin);
    String result = SessionDevice.run(otp, dist.epmdPort(), "deliver", OfferedSession.checkIn(device));
    for (String module : List.of("small_0", "small_1", "small_2")) {
      String md5 = HexFormat.of().withUpperCase().formatHex(new dev.dala.ota.signer.beam.BeamReader()
          .read(Modules.beam(ebin, module), module + ".beam").md5());
      assertThat(result).contains("{<<\"" + module + "\">>,<<\"" + md5 + "\">>}");
    }
  }

  @Test
  void aFailureReportIsFiledAsAFailedInstall() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "fail", session)).isEqualTo("{bye,failed}");
    assertThat(Database.count("select count(*) from install_event e join device d on d.id = e.device_id"
        + " where d.install_id = ?1 and e.kind = 'failed' and e.reason = 'manifest_rejected'", device.installId))
        .isEqualTo(1);
    assertThat(Database.count("select count(*) from dist_session where encode(id, 'hex') = ?1 and state = 'failed'",
        HexFormat.of().formatHex(session.id()))).isEqualTo(1);
  }

  @Test
  void anAgentThatNeverAsksIsAbortedAtTheDeadline() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "silent", session)).isEqualTo("{aborted,want_timeout,closed}");
    assertThat(Database.count("select count(*) from dist_session where encode(id, 'hex') = ?1 and state = 'aborted'"
        + " and reason = 'want_timeout'", HexFormat.of().formatHex(session.id()))).isEqualTo(1);
  }

  @Test
  void aRequestForAModuleOutsideTheReleaseAborts() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "bad_want", session))
        .isEqualTo("{aborted,bad_module_request,closed}");
  }

  @Test
  void theCookieIsStoredOnlySealedAndOnlyUntilExpiry() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    String hex = HexFormat.of().formatHex(session.id());
    assertThat(Database.count("select count(*) from dist_session where encode(id, 'hex') = ?1"
        + " and position(convert_to(?2, 'UTF8') in cookie_ciphertext) = 0 and length(cookie_ciphertext) > 32",
        hex, session.cookie())).isEqualTo(1);
    Database.execute("update dist_session set expires_at = now() - interval '1 second' where encode(id, 'hex') = ?1", hex);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "connect_only", session)).isEqualTo("refused");
    store.expireUnclaimed().await().indefinitely();
    assertThat(Database.count("select count(*) from dist_session where encode(id, 'hex') = ?1 and state = 'expired'"
        + " and cookie_ciphertext is null", hex)).isEqualTo(1);
  }

  @Inject
  SessionStore store;

  @Test
  void aLowOrderSessionKeyIsRefusedWithProblemJson() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    byte[] request = EtfEncoder.encode(ErlMap.builder()
        .putUtf8("channel_key", device.channelKey).putUtf8("install_id", device.installId)
        .putUtf8("platform", device.platform).putUtf8("base_fingerprint", device.fingerprint)
        .putUtf8("otp_release", device.otpRelease).put("current_sequence", 0).putUtf8("agent_version", "0.1.0")
        .put("session_key", new byte[32]).build());
    given().contentType(TestDevice.ETF).body(request).post("/device/v1/checkin").then().statusCode(400)
        .contentType("application/problem+json").body("errors[0].subject", org.hamcrest.Matchers.equalTo("session_key"));
  }

  @Test
  void everyRefusalAndSessionOutcomeIsAMetric() throws Exception {
    OtpRuntime otp = OtpRuntime.host();
    TestDevice device = deployed(otp, otp.otpRelease(), smallRelease(otp));
    OfferedSession session = OfferedSession.checkIn(device);
    assertThat(SessionDevice.run(otp, dist.epmdPort(), "connect_only", session.serverNode(), session.deviceNode(),
        "0".repeat(64))).isEqualTo("refused");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("ota_dist_refused_total{reason=\"bad_cookie\"}")
        .contains("ota_dist_epmd_requests_total{request=\"port_please\"}")
        .contains("ota_dist_connections ");
  }
}
