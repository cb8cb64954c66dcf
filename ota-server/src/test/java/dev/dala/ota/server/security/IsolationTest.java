package dev.dala.ota.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.Organisations;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Another organisation's admin token reaches nothing of this one: every admin endpoint answers
 * it 404 (or 403), and lists never show this organisation's data.
 */
@QuarkusTest
class IsolationTest extends ServerTest {

  @Test
  void everyAdminEndpointRefusesAnotherOrganisationsToken() {
    String app = createApp();
    String key = createChannel(app, "production");
    createChannel(app, "beta");
    String base = registerBase(app, "android", "25", List.of());
    byte[] bundle = Modules.draft(app, "v1", Modules.compile(Map.of("iso", Modules.versioned("iso", 1))));
    long sequence = publish(app, bundle, 201).getLong("sequence");
    String deployment = admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201).extract().path("id");
    new TestDevice(key, "isolated-device", "android", "25", base).checkin();
    String ownTokenId = admin().contentType(ContentType.JSON).body(Map.of("name", "victim", "role", "viewer"))
        .post("/api/v1/tokens").then().statusCode(201).extract().path("id");

    String stranger = Organisations.createWithToken("admin");
    String a = "/api/v1/apps/" + app;
    Map<String, Function<io.restassured.specification.RequestSpecification, Response>> calls = new java.util.LinkedHashMap<>();
    calls.put("GET app", r -> r.get(a));
    calls.put("GET channels", r -> r.get(a + "/channels"));
    calls.put("POST channel", r -> r.contentType(ContentType.JSON).body(Map.of("name", "x")).post(a + "/channels"));
    calls.put("GET bases", r -> r.get(a + "/bases"));
    calls.put("POST base", r -> r.contentType(ContentType.JSON).body(Map.of("platform", "ios", "otp_release", "29",
        "erts_version", "16", "elixir_version", "1.18", "static_nifs", List.of(), "module_md5s", Map.of())).post(a + "/bases"));
    calls.put("POST release", r -> r.contentType(BUNDLE).body(bundle).post(a + "/releases"));
    calls.put("GET releases", r -> r.get(a + "/releases"));
    calls.put("GET release", r -> r.get(a + "/releases/" + sequence));
    calls.put("POST deployment", r -> r.contentType(ContentType.JSON).body(Map.of("channel", "production",
        "sequence", sequence)).post(a + "/deployments"));
    calls.put("GET deployments", r -> r.get(a + "/deployments"));
    calls.put("GET deployment", r -> r.get(a + "/deployments/" + deployment));
    calls.put("PATCH deployment", r -> r.contentType(ContentType.JSON).body(Map.of("mandatory", true))
        .patch(a + "/deployments/" + deployment));
    calls.put("pause", r -> r.post(a + "/deployments/" + deployment + "/pause"));
    calls.put("resume", r -> r.post(a + "/deployments/" + deployment + "/resume"));
    calls.put("advance", r -> r.post(a + "/deployments/" + deployment + "/advance"));
    calls.put("promote", r -> r.contentType(ContentType.JSON).body(Map.of("to", "beta"))
        .post(a + "/channels/production/promote"));
    calls.put("rollback", r -> r.contentType(ContentType.JSON).body(Map.of("to_sequence", sequence))
        .post(a + "/channels/production/rollback"));
    calls.put("GET devices", r -> r.get(a + "/devices"));
    calls.put("GET device", r -> r.get(a + "/devices/isolated-device"));
    calls.put("PUT device tags", r -> r.contentType(ContentType.JSON).body(Map.of("tags", List.of("stolen")))
        .put(a + "/devices/isolated-device/tags"));
    calls.put("GET events", r -> r.get(a + "/events"));
    calls.put("DELETE token", r -> r.delete("/api/v1/tokens/" + ownTokenId));
    for (var call : calls.entrySet()) {
      int status = call.getValue().apply(as(stranger)).statusCode();
      assertThat(status).as(call.getKey()).isIn(403, 404);
    }
    assertThat(as(stranger).get("/api/v1/apps").then().statusCode(200).extract().jsonPath().getList("name"))
        .doesNotContain(app);
    assertThat(as(stranger).get("/api/v1/tokens").then().statusCode(200).extract().jsonPath().getList("id"))
        .doesNotContain(ownTokenId);
    assertThat(as(stranger).get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("target_id"))
        .doesNotContain(deployment);
    // And nothing changed here.
    assertThat(admin().get(a + "/deployments/" + deployment).then().extract().path("state").toString()).isEqualTo("active");
    assertThat(admin().get(a + "/releases").then().extract().jsonPath().getList("sequence")).hasSize(1);
  }
}
