package dev.dala.ota.server.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.auth.TokenSecrets;
import dev.dala.ota.server.support.Database;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.Organisations;
import dev.dala.ota.server.support.ServerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenTest extends ServerTest {

  @Test
  void requestsWithoutAValidTokenAreUnauthenticated() {
    given().get("/api/v1/apps").then().statusCode(401).contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("unauthenticated"));
    given().header("Authorization", "Bearer ota_not-a-real-token-at-all-123456").get("/api/v1/apps").then().statusCode(401);
    given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/apps").then().statusCode(401);
  }

  @Test
  void aTokenIsShownOnceAndStoredOnlyAsItsHash() {
    var created = admin().contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "publisher"))
        .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
    String secret = created.getString("token");
    assertThat(secret).startsWith("ota_");
    assertThat(as(secret).get("/api/v1/apps").statusCode()).isEqualTo(200);
    var listed = admin().get("/api/v1/tokens").then().statusCode(200).extract().asString();
    assertThat(listed).doesNotContain(secret).contains(TokenSecrets.displayPrefix(secret));
    List<Object> hashes = Database.column("select encode(token_hash, 'hex') from api_token");
    assertThat(hashes).contains(HexFormat.of().formatHex(TokenSecrets.hash(secret)));
    long plain = Database.count("select count(*) from api_token where encode(token_hash, 'escape') like ?1 or token_prefix = ?2",
        "%" + secret.substring(4) + "%", secret);
    assertThat(plain).isZero();
  }

  @Test
  void aRevokedTokenStopsWorking() {
    var created = admin().contentType(ContentType.JSON).body(Map.of("name", "temp", "role", "viewer"))
        .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
    String secret = created.getString("token");
    assertThat(as(secret).get("/api/v1/apps").statusCode()).isEqualTo(200);
    admin().delete("/api/v1/tokens/" + created.getString("id")).then().statusCode(200);
    assertThat(as(secret).get("/api/v1/apps").statusCode()).isEqualTo(401);
  }

  @Test
  void rolesLimitWhatATokenMayDo() {
    String app = createApp();
    registerBase(app, "android", "25", List.of());
    byte[] bundle = Modules.draft(app, "v1", Modules.compile(Map.of("roles", Modules.versioned("roles", 1))));
    String viewer = Organisations.bootstrapOrgToken("viewer");
    String publisher = Organisations.bootstrapOrgToken("publisher");
    assertThat(as(viewer).get("/api/v1/apps/" + app + "/releases").statusCode()).isEqualTo(200);
    as(viewer).contentType(BUNDLE).body(bundle).post("/api/v1/apps/" + app + "/releases").then().statusCode(403)
        .body("type", org.hamcrest.Matchers.equalTo("forbidden"));
    as(publisher).contentType(BUNDLE).body(bundle).post("/api/v1/apps/" + app + "/releases").then().statusCode(201);
    as(publisher).contentType(ContentType.JSON).body(Map.of("name", "x", "role", "admin")).post("/api/v1/tokens")
        .then().statusCode(403);
    as(publisher).contentType(ContentType.JSON).body(Map.of("name", "com.example.other")).post("/api/v1/apps")
        .then().statusCode(403);
    as(publisher).get("/api/v1/audit").then().statusCode(403);
  }

  @Test
  void everyAdminChangeIsAuditedWithItsBeforeAndAfter() {
    String app = createApp();
    createChannel(app, "production");
    registerBase(app, "android", "25", List.of());
    long sequence = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("aud", Modules.versioned("aud", 1)))), 201)
        .getLong("sequence");
    String id = admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence,
        "rollout", Map.of("percent", 5))).post("/api/v1/apps/" + app + "/deployments").then().statusCode(201)
        .extract().path("id");
    admin().contentType(ContentType.JSON).body(Map.of("rollout", Map.of("percent", 50)))
        .patch("/api/v1/apps/" + app + "/deployments/" + id).then().statusCode(200);
    var entries = admin().get("/api/v1/audit?limit=20").then().statusCode(200).extract().jsonPath();
    var update = entries.getMap("find { it.action == 'deployment.update' && it.target_id == '" + id + "' }");
    assertThat(update).isNotNull();
    assertThat(update.get("actor").toString()).contains("bootstrap-admin");
    assertThat(((Map<?, ?>) update.get("before")).get("rollout_percent")).isEqualTo(5);
    assertThat(((Map<?, ?>) update.get("after")).get("rollout_percent")).isEqualTo(50);
    assertThat(entries.getList("action")).contains("release.publish", "deployment.create", "app.create", "channel.create",
        "base.register");
  }
}
