package dev.dala.ota.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured bundle size limit, checked with a server configured to a small one. */
@QuarkusTest
@TestProfile(PublishLimitTest.SmallBundles.class)
class PublishLimitTest extends ServerTest {

  /** A server that accepts bundles of at most 4 KiB and 2 modules. */
  public static class SmallBundles implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ota.publish.max-bundle-bytes", "4096", "ota.publish.max-modules", "2");
    }
  }

  @Test
  void refusesABundleOverTheConfiguredSize() {
    String app = createApp();
    registerBase(app, "android", "25", List.of());
    byte[] big = Modules.rawDraft(app, "v1", Map.of("big", new byte[5000]));
    var problem = admin().contentType(BUNDLE).body(big).post("/api/v1/apps/" + app + "/releases")
        .then().statusCode(413).extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo("payload_too_large");
    assertThat(problem.getString("detail")).contains("4096");
  }

  @Test
  void refusesOnTheDeclaredLengthAndOnTheBytesActuallySent() {
    String app = createApp();
    registerBase(app, "android", "25", List.of());
    byte[] big = Modules.rawDraft(app, "v1", Map.of("big", new byte[5000]));
    // Sent chunked, with no length to refuse early on: the service counts the bytes itself.
    var problem = admin().contentType(BUNDLE).body(new java.io.ByteArrayInputStream(big))
        .post("/api/v1/apps/" + app + "/releases").then().statusCode(413).extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo("payload_too_large");
  }

  @Test
  void refusesMoreModulesThanConfigured() {
    String app = createApp();
    registerBase(app, "android", "25", List.of());
    byte[] many = Modules.rawDraft(app, "v1", Map.of("a", new byte[1], "b", new byte[1], "c", new byte[1]));
    var problem = admin().contentType(BUNDLE).body(many).post("/api/v1/apps/" + app + "/releases")
        .then().statusCode(400).extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo("malformed_bundle");
    assertThat(problem.getString("detail")).contains("limit of 2");
  }
}
