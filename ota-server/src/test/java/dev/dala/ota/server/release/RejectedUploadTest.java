package dev.dala.ota.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Database;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.OtaStack;
import dev.dala.ota.server.support.ServerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every malformed upload gets a 4xx problem that names what is wrong, and leaves nothing
 * behind: no release or module rows, no stored objects, no sequence used.
 */
@QuarkusTest
class RejectedUploadTest extends ServerTest {

  private String app;
  private Path ebin;

  @BeforeEach
  void app() {
    app = createApp();
    registerBase(app, "android", "25", List.of());
    ebin = Modules.compile(Map.of("good", Modules.versioned("good", 1), "lists", Modules.versioned("lists", 1),
        "uses_nif", Modules.withNif("uses_nif")));
  }

  private JsonPath rejected(byte[] upload, int status, String type) {
    long objects = objectCount();
    long modules = Database.count("select count(*) from module_blob");
    JsonPath problem = admin().contentType(BUNDLE).body(upload).post("/api/v1/apps/" + app + "/releases")
        .then().statusCode(status).contentType("application/problem+json").extract().jsonPath();
    assertThat(problem.getString("type")).isEqualTo(type);
    assertThat(problem.getInt("status")).isEqualTo(status);
    assertThat(Database.count("select count(*) from release r join app a on a.id = r.app_id where a.name = ?1", app)).isZero();
    assertThat(Database.count("select last_sequence from app where name = ?1", app)).isZero();
    assertThat(Database.count("select count(*) from module_blob")).isEqualTo(modules);
    assertThat(objectCount()).isEqualTo(objects);
    return problem;
  }

  @Test
  void aNonBeamFile() {
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("junk", "not a beam".getBytes())), 422, "invalid_module");
    assertThat(p.getString("errors[0].subject")).isEqualTo("junk");
    assertThat(p.getString("errors[0].detail")).startsWith("bad_magic");
  }

  @Test
  void aTruncatedBeam() {
    byte[] good = Modules.beam(ebin, "good");
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("good", Arrays.copyOf(good, good.length / 2))), 422,
        "invalid_module");
    assertThat(p.getString("errors[0].detail")).startsWith("form_size_mismatch");
  }

  @Test
  void aModuleWhoseNameDoesNotMatch() {
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("other", Modules.beam(ebin, "good"))), 422,
        "invalid_module");
    assertThat(p.getString("errors[0].detail")).startsWith("module_name_mismatch");
  }

  @Test
  void anOtpModule() {
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("lists", Modules.beam(ebin, "lists"))), 422,
        "reserved_module");
    assertThat(p.getString("errors[0].detail")).contains("ships with OTP or Elixir");
  }

  @Test
  void aNifModuleThatNoBaseLinks() {
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("uses_nif", Modules.beam(ebin, "uses_nif"))), 422,
        "no_compatible_base");
    assertThat(p.getString("errors[0].code")).isEqualTo("nif_not_in_base");
  }

  @Test
  void aModuleNewerThanEveryRegisteredBase() throws Exception {
    // Compiled by OTP 29's erlc: it needs OTP 28 or later, and the only base runs OTP 25.
    var otp29 = dev.dala.ota.testing.otp.OtpRuntime.otp29();
    Path dir = otp29.newWorkDir();
    try {
      Files.writeString(dir.resolve("fresh.erl"), Modules.versioned("fresh", 1));
      otp29.erlc(dir, "fresh.erl");
      JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("fresh", Files.readAllBytes(dir.resolve("fresh.beam")))),
          422, "no_compatible_base");
      assertThat(p.getString("errors[0].code")).isEqualTo("otp_too_old");
      assertThat(p.getString("errors[0].detail")).contains("runs OTP 25");
    } finally {
      dev.dala.ota.testing.otp.OtpRuntime.deleteTree(dir);
    }
  }

  @Test
  void everyBadModuleAtOnce() {
    JsonPath p = rejected(Modules.rawDraft(app, "v1", Map.of("junk", new byte[] {1, 2, 3},
        "lists", Modules.beam(ebin, "lists"), "good", Modules.beam(ebin, "good"))), 422, "bundle_rejected");
    assertThat(p.getList("errors.code")).containsExactlyInAnyOrder("invalid_module", "reserved_module");
  }

  @Test
  void somethingThatIsNotABundle() {
    rejected("hello".getBytes(), 400, "malformed_bundle");
  }

  @Test
  void aBundleForAnotherApp() {
    rejected(Modules.rawDraft("com.example.other", "v1", Map.of("good", Modules.beam(ebin, "good"))), 422,
        "app_mismatch");
  }

  @Test
  void aBundleOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    long objects = objectCount();
    // With Expect: 100-continue, as clients send large uploads, the server refuses on the
    // declared length without reading the 81 MiB body.
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
            + io.restassured.RestAssured.port + "/api/v1/apps/" + app + "/releases"))
        .header("Authorization", "Bearer " + OtaStack.ADMIN_TOKEN)
        .header("Content-Type", BUNDLE)
        .expectContinue(true)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[81 * 1024 * 1024]))
        .build();
    var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(JsonPath.from(response.body()).getString("type")).isEqualTo("payload_too_large");
    assertThat(objectCount()).isEqualTo(objects);
  }

  static long objectCount() {
    Path root = OtaStack.objectsDir();
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
