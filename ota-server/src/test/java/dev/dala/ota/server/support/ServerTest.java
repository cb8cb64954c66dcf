package dev.dala.ota.server.support;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Base of server tests: the real stack ({@link OtaStack}) and helpers that drive the admin API
 * as a client would. Each test makes its own app, so tests never see each other's data.
 */
@QuarkusTestResource(value = OtaStack.class, restrictToAnnotatedClass = false)
public abstract class ServerTest {

  public static final String BUNDLE = "application/vnd.dala-ota.bundle";

  protected static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

  protected static RequestSpecification admin() {
    return as(OtaStack.ADMIN_TOKEN);
  }

  protected static String newAppName() {
    return "com.example.t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Creates an app; returns its name. */
  protected static String createApp() {
    String name = newAppName();
    admin().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/apps").then().statusCode(201);
    return name;
  }

  /** Creates a channel; returns its key. */
  protected static String createChannel(String app, String channel) {
    return admin().contentType(ContentType.JSON).body(Map.of("name", channel))
        .post("/api/v1/apps/" + app + "/channels").then().statusCode(201).extract().path("channel_key");
  }

  /** Registers a base with no static NIFs for {@code otpRelease}; returns its fingerprint. */
  protected static String registerBase(String app, String platform, String otpRelease, List<String> staticNifs) {
    return admin().contentType(ContentType.JSON)
        .body(Map.of("platform", platform, "otp_release", otpRelease, "erts_version", "erts-" + otpRelease,
            "elixir_version", "1.18.0", "static_nifs", staticNifs, "module_md5s", Map.of()))
        .post("/api/v1/apps/" + app + "/bases").then().statusCode(201).extract().path("fingerprint");
  }

  protected static JsonPath publish(String app, byte[] bundle, int expectedStatus) {
    return admin().contentType(BUNDLE).body(bundle).post("/api/v1/apps/" + app + "/releases")
        .then().statusCode(expectedStatus).extract().jsonPath();
  }
}
