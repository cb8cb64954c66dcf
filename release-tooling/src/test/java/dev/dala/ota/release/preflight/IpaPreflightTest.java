package dev.dala.ota.release.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.IosApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight on the IPA Dala's own release path makes: codesign, then {@code zip}, which turns
 * the CodeResources link into a copy. It must report each of the four groups App Store Connect
 * rejected, with the store's codes.
 */
class IpaPreflightTest {

  @TempDir
  static Path dir;

  static Path badIpa;

  @BeforeAll
  static void zipABadApp() throws IOException {
    Path app = IosApps.app(dir.resolve("bad"), true);
    Files.createDirectories(app.resolve("_CodeSignature"));
    Files.writeString(app.resolve("_CodeSignature/CodeResources"), "<plist/>");
    Files.writeString(app.resolve("CodeResources"), "<plist/>");
    badIpa = dir.resolve("bad.ipa");
    zipLikeZip(app, badIpa);
  }

  @Test
  void reportsEachOfTheFourGroupsWithItsStoreCode() {
    CliRun run = CliRun.of("preflight", badIpa, "--json");
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    List<String> found = new ArrayList<>();
    for (JsonNode f : run.json().get("findings")) {
      found.add(f.get("code").asText() + "/" + f.get("store_code").asText());
    }
    assertThat(found).contains(
        "standalone_binary/90171",
        "otp_mach_o/90171",
        "private_selector/50",
        "minimum_os_version/90065",
        "dt_platform_name/90507",
        "deployment_target/90530",
        "code_resources_link/90071");
  }

  @Test
  void namesEveryStrayBinary() {
    CliRun run = CliRun.of("preflight", badIpa);
    assertThat(run.out())
        .contains("otp/lib/crypto-5.1.2/priv/lib/crypto.so")
        .contains("otp/lib/asn1-5.0.21/priv/lib/asn1rt_nif.a")
        .contains("otp/erts-13.1.5/bin/erl_call")
        .contains("otp/lib/os_mon-2.8/priv/bin/memsup")
        .contains("otp/lib/erl_interface-5.3/lib/libei.a")
        .contains("_addTouch:forDelayedDelivery:")
        .contains("_setHIDEvent:")
        .doesNotContain("addTouchToQueue:");
  }

  @Test
  void reportsTheOtpBudget() {
    CliRun run = CliRun.of("preflight", badIpa, "--otp-budget", "100", "--json");
    assertThat(run.json().get("findings").findValuesAsText("code")).contains("otp_over_budget");
    assertThat(run.json().get("facts").get("otp_bytes").asLong()).isGreaterThan(100);
  }

  @Test
  void refusesAZipWithoutAnApp() throws IOException {
    Path notIpa = dir.resolve("empty.ipa");
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(notIpa)) {
      out.putArchiveEntry(new ZipArchiveEntry("readme.txt"));
      out.write(new byte[] {1, 2, 3});
      out.closeArchiveEntry();
    }
    CliRun run = CliRun.of("preflight", notIpa);
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("not an IPA");
  }

  @Test
  void refusesACorruptZip() throws IOException {
    Path corrupt = dir.resolve("corrupt.ipa");
    Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(badIpa), 4000));
    CliRun run = CliRun.of("preflight", corrupt);
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("not a valid zip");
  }

  /** What {@code zip -r} does: links followed and stored as copies, modes kept. */
  static void zipLikeZip(Path app, Path ipa) throws IOException {
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(ipa); Stream<Path> walk = Files.walk(app)) {
      for (Path p : walk.sorted().toList()) {
        String name = "Payload/" + app.getFileName() + "/" + app.relativize(p).toString().replace('\\', '/');
        if (Files.isDirectory(p)) {
          out.putArchiveEntry(new ZipArchiveEntry(name + "/"));
          out.closeArchiveEntry();
          continue;
        }
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(Files.isExecutable(p) ? 0100755 : 0100644);
        out.putArchiveEntry(e);
        Files.copy(p, out);
        out.closeArchiveEntry();
      }
    }
  }
}
