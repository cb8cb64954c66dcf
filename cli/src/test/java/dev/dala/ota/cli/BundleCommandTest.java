package dev.dala.ota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.testing.otp.CompiledBeams;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundleCommandTest {

  @TempDir
  Path dir;

  static Stream<Arguments> runtimes() {
    return Stream.of(Arguments.of("host"), Arguments.of("otp29"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void inspectReportsTheModuleAndTheMd5OfBeamLib(String runtime) throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(runtime.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29())) {
      Map<String, String> expected = beams.beamLibMd5();
      assertThat(beams.files()).containsKeys("Elixir.Greeter.beam", "plain_module.beam");
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        CliRun run = CliRun.of(dir, "bundle", "inspect", "--json", file.getValue().toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("module").asText() + ".beam").isEqualTo(file.getKey());
        assertThat(json.get("md5").asText()).isEqualTo(expected.get(file.getKey()));
      }
    }
  }

  @Test
  void inspectNamesWhatIsWrongWithAFile() throws Exception {
    Files.writeString(dir.resolve("bad.beam"), "FOR1nope");
    CliRun run = CliRun.of(dir, "bundle", "inspect", "--json", "{dir}/bad.beam");
    assertThat(run.exit()).isEqualTo(ExitCode.PROBLEMS);
    assertThat(run.json().get("error").get("code").asText()).isEqualTo("bad_magic");
  }

  @Test
  void buildSignVerifyAndCatchATamperedModule() throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(OtpRuntime.host())) {
      assertThat(CliRun.of(dir, "keys", "init-root", "--dir", "{dir}/k").exit()).isZero();
      assertThat(CliRun.of(dir, "keys", "issue", "--role", "release", "--dir", "{dir}/k").exit()).isZero();
      Path key;
      Path cert;
      try (var files = Files.list(dir.resolve("k"))) {
        var names = files.toList();
        key = names.stream().filter(p -> p.toString().matches(".*release-.*\\.key\\.pem")).findFirst().orElseThrow();
        cert = names.stream().filter(p -> p.toString().endsWith(".cert.etf")).findFirst().orElseThrow();
      }
      CliRun build = CliRun.of(dir, "bundle", "build", "--json", "--app", "demo", "--label", "v1",
          "--out", "{dir}/draft.bundle", beams.dir().toString());
      assertThat(build.exit()).as(build.err()).isZero();
      assertThat(build.json().get("manifest").get("modules")).hasSize(6);

      CliRun unsigned = CliRun.of(dir, "bundle", "verify", "--json", "--root", "{dir}/k/root-1.pub.pem", "{dir}/draft.bundle");
      assertThat(unsigned.exit()).isEqualTo(ExitCode.PROBLEMS);
      assertThat(unsigned.json().get("problems").get(0).get("code").asText()).isEqualTo("unsigned");

      CliRun sign = CliRun.of(dir, "bundle", "sign", "{dir}/draft.bundle", "--dir", "{dir}/k", "--key", key.toString(),
          "--cert", cert.toString(), "--sequence", "3", "--base", "ios:29:abc", "--out", "{dir}/signed.bundle");
      assertThat(sign.exit()).as(sign.err()).isZero();

      CliRun verify = CliRun.of(dir, "bundle", "verify", "--json", "--root", "{dir}/k/root-1.pub.pem",
          "--current-sequence", "2", "--base", "ios:29:abc", "{dir}/signed.bundle");
      assertThat(verify.exit()).as(verify.out()).isZero();
      assertThat(verify.json().get("accepted").asBoolean()).isTrue();

      CliRun otherBase = CliRun.of(dir, "bundle", "verify", "--json", "--root", "{dir}/k/root-1.pub.pem",
          "--current-sequence", "3", "--base", "android:27:abc", "{dir}/signed.bundle");
      assertThat(otherBase.json().get("problems").findValuesAsText("code"))
          .containsExactly("sequence_not_higher", "base_incompatible");

      byte[] bytes = Files.readAllBytes(dir.resolve("signed.bundle"));
      bytes[bytes.length - 5] ^= 0x20;
      Files.write(dir.resolve("tampered.bundle"), bytes);
      CliRun tampered = CliRun.of(dir, "bundle", "verify", "--json", "--root", "{dir}/k/root-1.pub.pem",
          "{dir}/tampered.bundle");
      assertThat(tampered.exit()).isEqualTo(ExitCode.PROBLEMS);
      assertThat(tampered.json().get("problems").findValuesAsText("code")).containsExactly("module_hash_mismatch");
    }
  }

  @Test
  void buildListsReservedModulesAndWritesNothing() throws Exception {
    Path ebin = Files.createDirectories(dir.resolve("ebin"));
    Files.writeString(dir.resolve("gen_server.erl"), "-module(gen_server).\n");
    OtpRuntime.host().run(dir, java.time.Duration.ofMinutes(1), "erlc", "-o", "ebin", "gen_server.erl").requireSuccess();
    CliRun run = CliRun.of(dir, "bundle", "build", "--json", "--app", "demo", "--label", "v1", "--out",
        "{dir}/out.bundle", ebin.toString());
    assertThat(run.exit()).isEqualTo(ExitCode.PROBLEMS);
    assertThat(run.json().get("problems").get(0).get("code").asText()).isEqualTo("reserved_module");
    assertThat(dir.resolve("out.bundle")).doesNotExist();
  }
}
