package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.OtaStack;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustVerifier;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CheckinTest extends ServerTest {

  private String app;
  private String channelKey;
  private String android25;

  private long publishAndDeploy(String label, Map<String, String> sources, Map<String, Object> deployment) {
    long sequence = publish(app, Modules.draft(app, label, Modules.compile(sources)), 201).getLong("sequence");
    Map<String, Object> body = new java.util.HashMap<>(Map.of("channel", "production", "sequence", sequence));
    body.putAll(deployment);
    admin().contentType(ContentType.JSON).body(body).post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    return sequence;
  }

  private void setUp() {
    app = createApp();
    channelKey = createChannel(app, "production");
    android25 = registerBase(app, "android", "25", List.of());
  }

  @Test
  void anIncompatibleBaseIsNeverOffered() {
    setUp();
    String ios29 = registerBase(app, "ios", "29", List.of());
    publishAndDeploy("v1", Map.of("m", Modules.versioned("m", 1)), Map.of());
    assertThat(new TestDevice(channelKey, "device-android", "android", "25", android25).checkin().getString("decision"))
        .isEqualTo("update");
    assertThat(new TestDevice(channelKey, "device-other-base", "android", "25", "00ff00ff").checkin().getString("reason"))
        .isEqualTo("incompatible_base");
    // The base's fingerprint with another OTP release is another base.
    assertThat(new TestDevice(channelKey, "device-wrong-otp", "android", "26", android25).checkin().getString("reason"))
        .isEqualTo("incompatible_base");
    // Both bases run OTP 25 modules, so both are compatible.
    assertThat(new TestDevice(channelKey, "device-ios", "ios", "29", ios29).checkin().getString("decision"))
        .isEqualTo("update");
    TestDevice old = new TestDevice(channelKey, "device-old-agent", "android", "25", android25);
    old.agentVersion = "0.0.9";
    assertThat(old.checkin().getString("reason")).isEqualTo("agent_too_old");
  }

  @Test
  void theDeltaListsOnlyTheModulesThatChanged() {
    setUp();
    long v1 = publishAndDeploy("v1", Map.of("alpha", Modules.versioned("alpha", 1), "bravo", Modules.versioned("bravo", 1),
        "charlie", Modules.versioned("charlie", 1)), Map.of());
    TestDevice device = new TestDevice(channelKey, "delta-device-1", "android", "25", android25);
    assertThat(device.checkin().getList("update.delta")).containsExactly("alpha", "bravo", "charlie");
    device.sequence = v1;
    assertThat(device.checkin().getString("reason")).isEqualTo("up_to_date");
    long v2 = publishAndDeploy("v2", Map.of("alpha", Modules.versioned("alpha", 1), "bravo", Modules.versioned("bravo", 2),
        "charlie", Modules.versioned("charlie", 1), "delta_mod", Modules.versioned("delta_mod", 1)), Map.of());
    JsonPath answer = device.checkin();
    assertThat(answer.getLong("update.sequence")).isEqualTo(v2);
    assertThat(answer.getList("update.delta")).containsExactly("bravo", "delta_mod");
  }

  @Test
  void theAgentsAnswerIsSignedBySessionKeyWithItsIssueTimeExpiryAndManifest() throws Exception {
    setUp();
    long v1 = publishAndDeploy("v1", Map.of("m", Modules.versioned("m", 1)), Map.of("mandatory", true));
    SignedDocument answer = new TestDevice(channelKey, "etf-device-1", "android", "25", android25).checkinEtf();
    var root = PemKeys.readVerifyingKey(Files.readString(OtaStack.keysDir().resolve("root-1.pub.pem")));
    TrustVerifier trust = new TrustVerifier(TrustAnchors.of(root));
    var verdict = trust.verifyRoleSigned(answer, DocumentKind.CHECKIN_RESPONSE, Role.SESSION, Instant.now(), null);
    assertThat(verdict.problems()).isEmpty();
    TermFields payload = TestDevice.payload(answer);
    long issued = payload.integer("issued_at");
    assertThat(payload.integer("expires_at") - issued).isEqualTo(120);
    assertThat(Math.abs(issued - Instant.now().getEpochSecond())).isLessThan(10);
    assertThat(payload.atom("decision")).isEqualTo("update");
    TermFields update = TermFields.of(payload.term("update"), "update");
    assertThat(update.integer("sequence")).isEqualTo(v1);
    assertThat(update.atom("mandatory")).isEqualTo("true");
    assertThat(((ErlList) update.term("delta")).elements()).containsExactly(ErlBinary.utf8("m"));
    // The manifest inside verifies on its own, for the device, against the same root.
    var manifest = new ManifestVerifier(trust).verify(update.binary("manifest"),
        new DeviceState(app, 0, new dev.dala.ota.signer.manifest.CompatibleBase("android", "25", android25), "0.1.0",
            Instant.now(), DeviceState.DEFAULT_CLOCK_SKEW), null);
    assertThat(manifest.problems()).isEmpty();
  }

  @Test
  void rollbackRepublishesEarlierContentUnderAHigherSequence() {
    setUp();
    long v1 = publishAndDeploy("v1", Map.of("alpha", Modules.versioned("alpha", 1), "bravo", Modules.versioned("bravo", 1)), Map.of());
    long v2 = publishAndDeploy("v2", Map.of("alpha", Modules.versioned("alpha", 2), "bravo", Modules.versioned("bravo", 1)), Map.of());
    JsonPath rollback = admin().contentType(ContentType.JSON).body(Map.of("to_sequence", v1))
        .post("/api/v1/apps/" + app + "/channels/production/rollback").then().statusCode(201).extract().jsonPath();
    long v3 = rollback.getLong("sequence");
    assertThat(v3).isGreaterThan(v2);
    assertThat(rollback.getBoolean("mandatory")).isTrue();
    JsonPath original = admin().get("/api/v1/apps/" + app + "/releases/" + v1).then().extract().jsonPath();
    JsonPath republished = admin().get("/api/v1/apps/" + app + "/releases/" + v3).then().extract().jsonPath();
    assertThat(republished.getString("kind")).isEqualTo("rollback");
    assertThat(republished.getString("republished_from")).isEqualTo(original.getString("id"));
    assertThat(republished.getList("modules.sha256")).isEqualTo(original.getList("modules.sha256"));
    TestDevice onV2 = new TestDevice(channelKey, "rollback-device", "android", "25", android25);
    onV2.sequence = v2;
    JsonPath answer = onV2.checkin();
    assertThat(answer.getLong("update.sequence")).isEqualTo(v3);
    assertThat(answer.getList("update.delta")).containsExactly("alpha");
  }

  @Test
  void promoteDeploysTheSameReleaseOnAnotherChannel() {
    setUp();
    String betaKey = createChannel(app, "beta");
    long sequence = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("m", Modules.versioned("m", 1)))), 201)
        .getLong("sequence");
    admin().contentType(ContentType.JSON).body(Map.of("channel", "beta", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    TestDevice production = new TestDevice(channelKey, "promote-device", "android", "25", android25);
    assertThat(production.checkin().getString("reason")).isEqualTo("no_deployment");
    JsonPath promoted = admin().contentType(ContentType.JSON).body(Map.of("to", "production", "rollout", Map.of("percent", 100)))
        .post("/api/v1/apps/" + app + "/channels/beta/promote").then().statusCode(201).extract().jsonPath();
    assertThat(promoted.getString("channel")).isEqualTo("production");
    assertThat(promoted.getLong("sequence")).isEqualTo(sequence);
    assertThat(production.checkin().getLong("update.sequence")).isEqualTo(sequence);
    assertThat(new TestDevice(betaKey, "beta-device", "android", "25", android25).checkin().getString("decision"))
        .isEqualTo("update");
  }

  @Test
  void pausedDeploymentsAreNotOfferedAndANewDeploymentSupersedesTheOld() {
    setUp();
    long v1 = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("m", Modules.versioned("m", 1)))), 201)
        .getLong("sequence");
    String first = admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", v1))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201).extract().path("id");
    admin().post("/api/v1/apps/" + app + "/deployments/" + first + "/pause").then().statusCode(200);
    TestDevice device = new TestDevice(channelKey, "pause-device", "android", "25", android25);
    assertThat(device.checkin().getString("reason")).isEqualTo("deployment_paused");
    admin().post("/api/v1/apps/" + app + "/deployments/" + first + "/pause").then().statusCode(409);
    admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", v1))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    assertThat(admin().get("/api/v1/apps/" + app + "/deployments/" + first).then().extract().path("state").toString())
        .isEqualTo("superseded");
    assertThat(device.checkin().getString("decision")).isEqualTo("update");
  }

  @Test
  void rejectsMalformedCheckinsWithProblems() {
    setUp();
    var problem = io.restassured.RestAssured.given().contentType(ContentType.JSON)
        .body(Map.of("channel_key", "nope", "install_id", "x", "current_sequence", -1))
        .post("/device/v1/checkin").then().statusCode(400).contentType("application/problem+json").extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo("validation_failed");
    assertThat(problem.getList("errors.subject")).contains("channel_key", "install_id", "platform", "current_sequence");
    io.restassured.RestAssured.given().contentType(TestDevice.ETF).body(new byte[] {(byte) 131, 1, 2})
        .post("/device/v1/checkin").then().statusCode(400).body("type", org.hamcrest.Matchers.equalTo("malformed_body"));
    assertThat(new TestDevice("ck_unknownunknownunknown", "device-x-1", "android", "25", android25)
        .body()).isNotEmpty();
    io.restassured.RestAssured.given().contentType(ContentType.JSON)
        .body(new TestDevice("ck_unknownunknownunknown", "device-x-1", "android", "25", android25).body())
        .post("/device/v1/checkin").then().statusCode(404).body("type", org.hamcrest.Matchers.equalTo("channel_not_found"));
  }
}
