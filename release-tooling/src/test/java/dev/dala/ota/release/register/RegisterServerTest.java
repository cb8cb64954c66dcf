package dev.dala.ota.release.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dala.ota.release.support.Beams;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.OtaServer;
import dev.dala.ota.release.support.OtpTrees;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BundleBuilder;
import dev.dala.ota.signer.bundle.BundleSpec;
import dev.dala.ota.signer.bundle.ModulePolicy;
import dev.dala.ota.signer.manifest.ApplyMode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release register} against the real server: a registered base is what publishing
 * checks bundles against, so a bundle that loads a NIF the base does not link is refused.
 */
class RegisterServerTest {

  private static final String APP = "com.example.registered";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static OtaServer server;
  static Path fingerprint;
  static Path token;

  @BeforeAll
  static void startServerAndRegister() throws IOException {
    server = OtaServer.start();
    HttpResponse<String> app = server.call("POST", "/api/v1/apps", "application/json",
        ("{\"name\":\"" + APP + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    fingerprint = dir.resolve("base.json");
    CliRun fp = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--static-nif", "good_nif",
        "--out", fingerprint);
    assertThat(fp.exit()).as(fp.toString()).isZero();
    token = Files.writeString(dir.resolve("token"), OtaServer.ADMIN_TOKEN + "\n");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void publishingABundleThatNeedsANifTheBaseLacksIsRefused() throws IOException {
    CliRun register = register();
    assertThat(register.exit()).as(register.toString()).isZero();

    HttpResponse<String> refused = publish("bad_nif");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    JsonNode problem = JSON.readTree(refused.body());
    assertThat(problem.get("type").asText()).isEqualTo("no_compatible_base");
    assertThat(problem.get("errors").findValuesAsText("code")).contains("nif_not_in_base");
    assertThat(problem.get("errors").findValuesAsText("subject")).contains("bad_nif");

    HttpResponse<String> accepted = publish("good_nif");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
  }

  @Test
  void registeringTheSameBaseAgainChangesNothing() {
    CliRun first = register();
    CliRun second = register();
    assertThat(first.exit()).isZero();
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(second.out()).contains("already registered");
    HttpResponse<String> bases = server.call("GET", "/api/v1/apps/" + APP + "/bases", null, null);
    assertThat(bases.body()).contains(FingerprintIdOf.file(fingerprint));
  }

  @Test
  void aWrongTokenIsRefusedWithTheServersReason() {
    CliRun run = CliRun.of("register", fingerprint, "--server", server.url(), "--app", APP, "--token",
        "pass:ota_not-a-token");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("401");
  }

  @Test
  void anUnknownAppIsRefused() {
    CliRun run = CliRun.of("register", fingerprint, "--server", server.url(), "--app", "com.example.nope",
        "--token", "file:" + token);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("404");
  }

  @Test
  void anUnreachableServerIsReportedAsSuch() {
    CliRun run = CliRun.of("register", fingerprint, "--server", "http://127.0.0.1:1", "--app", APP, "--token",
        "file:" + token, "--timeout", "2");
    assertThat(run.exit()).isEqualTo(4);
    assertThat(run.err()).contains("cannot reach");
  }

  private static CliRun register() {
    return CliRun.of("register", fingerprint, "--server", server.url(), "--app", APP, "--token", "file:" + token);
  }

  private static HttpResponse<String> publish(String module) throws IOException {
    Path ebin = Files.createDirectories(dir.resolve("bundle-" + module));
    Files.copy(Beams.beam("v1", module), ebin.resolve(module + ".beam"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BundleBuilder.Result result = new BundleBuilder(new BeamReader(), ModulePolicy.standard()).build(
        BundleSpec.builder().app(APP).label(module).ebinDir(ebin).applyMode(ApplyMode.HOT).minAgentVersion("0.1.0")
            .strip(true).build());
    assertThat(result.problems()).isEmpty();
    return server.call("POST", "/api/v1/apps/" + APP + "/releases", "application/vnd.dala-ota.bundle",
        result.bundle().toBytes());
  }

  /** The id a fingerprint file carries. */
  static final class FingerprintIdOf {
    static String file(Path f) {
      return dev.dala.ota.release.fingerprint.FingerprintJson.read(f).id();
    }
  }
}
