package dev.dala.ota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

  @TempDir
  Path dir;

  private CliRun ota(String... args) {
    return CliRun.of(dir, args);
  }

  @Test
  void initRootWritesTheKeyPairAndTheSelfSignedRootDocument() throws Exception {
    CliRun run = ota("keys", "init-root", "--dir", "{dir}/k");
    assertThat(run.exit()).as(run.err()).isZero();
    Path keys = dir.resolve("k");
    assertThat(keys.resolve("root-1.key.pem")).exists();
    assertThat(Files.getPosixFilePermissions(keys.resolve("root-1.key.pem")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    CliRun show = ota("keys", "show", "--json", "{dir}/k/root-1.etf");
    assertThat(show.json().get("type").asText()).isEqualTo("root");
    assertThat(show.json().get("version").asInt()).isEqualTo(1);
    CliRun pub = ota("keys", "show", "--json", "{dir}/k/root-1.pub.pem");
    assertThat(pub.json().get("key_id").asText()).isEqualTo(show.json().get("key_id").asText());
  }

  @Test
  void initRootRefusesToReplaceAnExistingRoot() {
    assertThat(ota("keys", "init-root", "--dir", "{dir}/k").exit()).isZero();
    CliRun again = ota("keys", "init-root", "--dir", "{dir}/k");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err()).contains("already holds a root");
  }

  @Test
  void issuesRotatesAndRevokes() throws Exception {
    ota("keys", "init-root", "--dir", "{dir}/k");
    CliRun issue = ota("keys", "issue", "--role", "release", "--valid-days", "30", "--dir", "{dir}/k");
    assertThat(issue.exit()).as(issue.err()).isZero();
    Path cert;
    try (var files = Files.list(dir.resolve("k"))) {
      cert = files.filter(p -> p.getFileName().toString().endsWith(".cert.etf")).findFirst().orElseThrow();
    }
    var shown = ota("keys", "show", "--json", cert.toString()).json();
    assertThat(shown.get("role").asText()).isEqualTo("release");
    assertThat(shown.get("root_version").asInt()).isEqualTo(1);

    CliRun rotate = ota("keys", "rotate-root", "--dir", "{dir}/k");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    var root2 = ota("keys", "show", "--json", "{dir}/k/root-2.etf").json();
    assertThat(root2.get("version").asInt()).isEqualTo(2);
    assertThat(root2.get("signed_by")).hasSize(2);

    String keyId = shown.get("key_id").asText();
    CliRun revoke = ota("keys", "revoke", "--dir", "{dir}/k", keyId);
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    var list = ota("keys", "show", "--json", "{dir}/k/revocations.etf").json();
    assertThat(list.get("revoked").get(0).asText()).isEqualTo(keyId);
    assertThat(list.get("signed_by").get(0).asText()).isEqualTo(root2.get("key_id").asText());
  }

  @Test
  void explainsBadInputWithItsExitCode() throws Exception {
    assertThat(ota("keys", "issue", "--role", "admin", "--dir", "{dir}/k").exit()).isEqualTo(ExitCode.USAGE);
    CliRun noRoot = ota("keys", "issue", "--role", "release", "--dir", "{dir}/empty");
    assertThat(noRoot.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noRoot.err()).contains("init-root");
    Files.writeString(dir.resolve("junk.etf"), "junk");
    assertThat(ota("keys", "show", "{dir}/junk.etf").exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(ota("keys", "revoke", "--dir", "{dir}/k", "nothex").exit()).isEqualTo(ExitCode.USAGE);
    assertThat(ota("keys", "show", "{dir}/missing").err()).contains("no such file");
  }
}
