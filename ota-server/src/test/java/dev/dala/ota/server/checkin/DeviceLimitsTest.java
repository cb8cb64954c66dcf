package dev.dala.ota.server.checkin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device API's limits, with a server configured to small ones. */
@QuarkusTest
@TestProfile(DeviceLimitsTest.SmallLimits.class)
class DeviceLimitsTest extends ServerTest {

  /** Five requests a minute per install, a 600-byte check-in body. */
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ota.device.requests-per-minute-per-install", "5", "ota.checkin.max-body-bytes", "600");
    }
  }

  @Test
  void oneInstallIdIsLimitedPerMinuteOthersAreNot() {
    String app = createApp();
    String key = createChannel(app, "production");
    String base = registerBase(app, "android", "25", List.of());
    TestDevice chatty = new TestDevice(key, "chatty-device", "android", "25", base);
    for (int i = 0; i < 5; i++) {
      chatty.checkin();
    }
    given().contentType(ContentType.JSON).body(chatty.body()).post("/device/v1/checkin").then().statusCode(429)
        .contentType("application/problem+json").body("type", org.hamcrest.Matchers.equalTo("rate_limited"));
    assertThat(new TestDevice(key, "quiet-device", "android", "25", base).checkin().getString("decision")).isEqualTo("none");
  }

  @Test
  void aCheckinBodyOverTheLimitIsRefused() {
    var problem = given().contentType(ContentType.JSON).body("{\"padding\":\"" + "x".repeat(700) + "\"}")
        .post("/device/v1/checkin").then().statusCode(413).extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo("payload_too_large");
  }
}
