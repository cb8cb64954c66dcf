package dev.dala.ota.release.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.release.support.Beams;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.OtpTrees;
import dev.dala.ota.signer.base.BaseFingerprint;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

  @TempDir
  Path dir;

  @Test
  void isStableAcrossRuns() {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    CliRun first = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--static-nif", "good_nif");
    CliRun second = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--static-nif", "good_nif");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(first.json().get("fingerprint").asText()).matches("[0-9a-f]{32}");
  }

  @Test
  void changesWhenABaseModuleChanges() {
    String v1 = id(OtpTrees.basic(dir.resolve("v1"), "v1"));
    String v2 = id(OtpTrees.basic(dir.resolve("v2"), "v2"));
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void changesWhenAStaticNifChanges() {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    String without = CliRun.of("fingerprint", "--platform", "android", "--otp", otp).json().get("fingerprint")
        .asText();
    String with = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--static-nif", "good_nif")
        .json().get("fingerprint").asText();
    assertThat(with).isNotEqualTo(without);
  }

  @Test
  void changesWhenAnAppModuleChanges() {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    String v1 = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--ebin",
        Beams.appEbin("v1")).json().get("fingerprint").asText();
    String v2 = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--ebin",
        Beams.appEbin("v2")).json().get("fingerprint").asText();
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void recordsVersionsNifsAndBeamLibMd5s() throws Exception {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    JsonNode json = CliRun.of("fingerprint", "--platform", "ios", "--otp", otp, "--static-nif", "good_nif").json();
    assertThat(json.get("platform").asText()).isEqualTo("ios");
    assertThat(json.get("otp_release").asText()).isEqualTo("25");
    assertThat(json.get("erts_version").asText()).isEqualTo(OtpTrees.ERTS);
    assertThat(json.get("elixir_version").asText()).isEqualTo("1.18.0");
    assertThat(json.get("static_nifs").get(0).asText()).isEqualTo("good_nif");
    String md5 = new BeamReader().read(Files.readAllBytes(Beams.beam("v1", "base_util")), "base_util.beam").md5Hex();
    assertThat(json.get("module_md5s").get("base_util").asText()).isEqualTo(md5);
  }

  @Test
  void idIsTheOneSignerComputesForTheServer() {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    Path out = dir.resolve("base.json");
    CliRun run = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--out", out);
    BaseFingerprint read = FingerprintJson.read(out);
    assertThat(run.out().trim()).isEqualTo(read.id());
    assertThat(new BaseFingerprint(read.platform(), read.otpRelease(), read.ertsVersion(), read.elixirVersion(),
        read.staticNifs(), read.moduleMd5s()).id()).isEqualTo(read.id());
  }

  @Test
  void fingerprintsTheHostsRealOtpInstallation() {
    OtpRuntime host = OtpRuntime.host();
    Path work = host.newWorkDir();
    String root;
    try {
      root = host.eval(work, Duration.ofSeconds(60), "io:format(\"~s\", [code:root_dir()]), halt().")
          .requireSuccess().stdout().trim();
    } finally {
      OtpRuntime.deleteTree(work);
    }
    CliRun run = CliRun.of("fingerprint", "--platform", "android", "--otp", root, "--elixir-version", "1.14.0");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.json().get("otp_release").asText()).isEqualTo(host.otpRelease());
    assertThat(run.json().get("module_md5s").get("lists")).isNotNull();
    assertThat(run.json().get("module_md5s").size()).isGreaterThan(500);
  }

  @Test
  void iosBasesLeaveOutTheApplicationsTheIpaDrops() throws Exception {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    Path megaco = Files.createDirectories(otp.resolve("lib/megaco-4.4/ebin"));
    Files.copy(Beams.beam("v1", "my_app"), megaco.resolve("my_app.beam"));
    JsonNode ios = CliRun.of("fingerprint", "--platform", "ios", "--otp", otp).json();
    JsonNode android = CliRun.of("fingerprint", "--platform", "android", "--otp", otp).json();
    JsonNode kept = CliRun.of("fingerprint", "--platform", "ios", "--otp", otp, "--keep-otp-app", "megaco").json();
    assertThat(ios.get("module_md5s").has("my_app")).isFalse();
    assertThat(android.get("module_md5s").has("my_app")).isTrue();
    assertThat(kept.get("module_md5s").has("my_app")).isTrue();
  }

  @Test
  void warnsAboutNifModulesThatAreNotLinkedStatically() {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    CliRun run = CliRun.of("fingerprint", "--platform", "android", "--otp", otp);
    assertThat(run.exit()).isZero();
    assertThat(run.err()).contains("warning").contains("good_nif");
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    Path otp = Files.createDirectories(dir.resolve("not-otp/lib/broken/ebin"));
    Files.writeString(otp.resolve("junk.beam"), "not a beam");
    CliRun run = CliRun.of("fingerprint", "--platform", "android", "--otp", dir.resolve("not-otp"),
        "--static-nif", "bad name!");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("releases/N/OTP_VERSION")
        .contains("erts-X.Y.Z")
        .contains("junk.beam")
        .contains("not a module name");
  }

  @Test
  void refusesAFingerprintFileWhoseIdDoesNotMatch() throws Exception {
    Path otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    Path out = dir.resolve("base.json");
    CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--out", out);
    Files.writeString(out, Files.readString(out).replace("\"erts_version\" : \"13.1.5\"",
        "\"erts_version\" : \"13.1.6\""));
    CliRun run = CliRun.of("register", out, "--server", "http://127.0.0.1:9", "--app", "a", "--token", "pass:x");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("does not match the fields");
  }

  private static String id(Path otp) {
    return CliRun.of("fingerprint", "--platform", "android", "--otp", otp).json().get("fingerprint").asText();
  }
}
