package dev.dala.ota.release.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.release.support.Apks;
import dev.dala.ota.release.support.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APK preflight on what aapt makes, before this tooling has signed or filled it. */
class ApkPreflightTest {

  @TempDir
  Path dir;

  @Test
  void reportsMissingSignaturesAndConfigInAnUnsignedApk() {
    Path unsigned = Apks.unsigned(dir, 21);
    CliRun run = CliRun.of("preflight", unsigned, "--json");
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.json().get("findings").findValuesAsText("code"))
        .contains("v1_signature", "v2_signature", "v3_signature", "agent_config", "pinned_root", "base_fingerprint");
    assertThat(run.json().get("facts").get("min_sdk").asInt()).isEqualTo(21);
  }

  @Test
  void reportsMisalignedEntries() throws IOException {
    Path unsigned = Apks.unsigned(dir, 26);
    Path misaligned = dir.resolve("misaligned.apk");
    try (ZipFile in = ZipFile.builder().setPath(unsigned).get();
        ZipArchiveOutputStream out = new ZipArchiveOutputStream(misaligned)) {
      // A one-byte entry first puts the next stored entry's data at an odd offset.
      ZipArchiveEntry pad = new ZipArchiveEntry("a");
      pad.setMethod(ZipArchiveEntry.STORED);
      pad.setSize(1);
      pad.setCrc(0xe8b7be43L);
      out.putArchiveEntry(pad);
      out.write('a');
      out.closeArchiveEntry();
      for (ZipArchiveEntry e : Collections.list(in.getEntries())) {
        out.addRawArchiveEntry(new ZipArchiveEntry(e), in.getRawInputStream(e));
      }
    }
    CliRun run = CliRun.of("preflight", misaligned);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("native_library_alignment").contains("lib/arm64-v8a/libdala.so")
        .contains("16384");
  }

  @Test
  void refusesAFileThatIsNeitherApkNorIpa() {
    CliRun run = CliRun.of("preflight", dir.resolve("app.aab"));
    assertThat(run.exit()).isEqualTo(2);
  }
}
