package dev.dala.ota.release.apk;

import static org.assertj.core.api.Assertions.assertThat;

import com.android.apksig.ApkVerifier;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApkCommandTest {

  @TempDir
  static Path dir;

  static ApkFixture legacy;
  static ApkFixture modern;
  static Path signedLegacy;

  @BeforeAll
  static void buildFixtures() throws IOException {
    legacy = new ApkFixture(Files.createDirectories(dir.resolve("legacy")), 21);
    modern = new ApkFixture(Files.createDirectories(dir.resolve("modern")), 26);
    signedLegacy = dir.resolve("out/app-21.apk");
    CliRun run = legacy.build(signedLegacy);
    assertThat(run.exit()).as(run.toString()).isZero();
  }

  @Test
  void debiansApksignerVerifiesV1V2AndV3BelowMinSdk24() {
    Tools.Result verify = Tools.runOk(dir, "apksigner", "verify", "--verbose", signedLegacy.toString());
    assertThat(verify.output())
        .contains("Verified using v1 scheme (JAR signing): true")
        .contains("Verified using v2 scheme (APK Signature Scheme v2): true")
        .contains("Verified using v3 scheme (APK Signature Scheme v3): true");
  }

  @Test
  void leavesOutV1FromMinSdk24() {
    Path out = dir.resolve("out/app-26.apk");
    CliRun run = modern.build(out);
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("v2 v3").doesNotContain("v1");
    Tools.Result verify = Tools.runOk(dir, "apksigner", "verify", "--verbose", out.toString());
    assertThat(verify.output())
        .contains("Verified using v1 scheme (JAR signing): false")
        .contains("Verified using v2 scheme (APK Signature Scheme v2): true")
        .contains("Verified using v3 scheme (APK Signature Scheme v3): true");
  }

  @Test
  void tamperingWithOneByteFailsVerification() throws IOException {
    Path tampered = dir.resolve("out/tampered.apk");
    byte[] bytes = Files.readAllBytes(signedLegacy);
    long offset;
    try (ZipFile zip = ZipFile.builder().setPath(signedLegacy).get()) {
      offset = zip.getEntry("assets/otp/lib/kernel-8.5/ebin/base_util.beam").getDataOffset();
    }
    bytes[(int) offset + 20] ^= 0x01;
    Files.write(tampered, bytes);
    Tools.Result verify = Tools.run(dir, "apksigner", "verify", "--verbose", tampered.toString());
    assertThat(verify.exit()).as(verify.output()).isNotZero();
    assertThat(verify.output()).containsIgnoringCase("digest");
  }

  @Test
  void aSecondBuildIsByteIdentical() throws IOException {
    Path again = dir.resolve("out/again.apk");
    CliRun run = legacy.build(again);
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(signedLegacy));
  }

  @Test
  void isByteIdenticalWhenBuiltInAnotherTimeZone() throws IOException {
    java.util.TimeZone saved = java.util.TimeZone.getDefault();
    Path elsewhere = dir.resolve("out/elsewhere.apk");
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
      CliRun run = legacy.build(elsewhere);
      assertThat(run.exit()).as(run.toString()).isZero();
    } finally {
      java.util.TimeZone.setDefault(saved);
    }
    assertThat(Files.readAllBytes(elsewhere)).isEqualTo(Files.readAllBytes(signedLegacy));
  }

  @Test
  void alignsStoredEntriesTo4BytesAndNativeLibrariesTo16K() throws IOException {
    Tools.runOk(dir, "zipalign", "-c", "-p", "4", signedLegacy.toString());
    try (ZipFile zip = ZipFile.builder().setPath(signedLegacy).get()) {
      ZipArchiveEntry lib = zip.getEntry("lib/arm64-v8a/libdala.so");
      assertThat(lib.getMethod()).isEqualTo(ZipArchiveEntry.STORED);
      assertThat(lib.getDataOffset() % 16384).isZero();
      for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntries())) {
        if (e.getMethod() == ZipArchiveEntry.STORED) {
          assertThat(e.getDataOffset() % 4).as(e.getName()).isZero();
        }
      }
    }
  }

  @Test
  void embedsTheOtpTreeTheAppsBeamsAndTheAgentConfig() throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(signedLegacy).get()) {
      assertThat(zip.getEntry("assets/otp/releases/25/OTP_VERSION")).isNotNull();
      assertThat(zip.getEntry("assets/otp/lib/kernel-8.5/ebin/base_util.beam")).isNotNull();
      assertThat(zip.getEntry("assets/otp/lib/my_app/ebin/my_app.beam")).isNotNull();
      assertThat(zip.getEntry("assets/dala_ota/config.etf")).isNotNull();
    }
    CliRun preflight = CliRun.of("preflight", signedLegacy, "--root", legacy.root, "--fingerprint",
        legacy.fingerprint, "--json");
    assertThat(preflight.exit()).as(preflight.toString()).isZero();
    assertThat(preflight.json().get("findings")).isEmpty();
  }

  @Test
  void signsWithAJksKeystoreToo() {
    Path jks = dev.dala.ota.release.support.Apks.keystore(dir, "JKS", "jks-key", "jks-secret");
    Path out = dir.resolve("out/jks.apk");
    var args = legacy.args(out);
    args.set(args.indexOf("--ks") + 1, jks);
    args.set(args.indexOf("--ks-pass") + 1, "pass:jks-secret");
    CliRun run = CliRun.of(args.toArray());
    assertThat(run.exit()).as(run.toString()).isZero();
    Tools.runOk(dir, "apksigner", "verify", out.toString());
  }

  @Test
  void rotatesKeysWithV31() throws Exception {
    Path previous = dev.dala.ota.release.support.Apks.keystore(dir, "PKCS12", "old-key", "old-secret");
    ApkSigningKey oldKey = Keystores.load(previous, "old-secret".toCharArray(), null, null);
    ApkSigningKey newKey = Keystores.load(legacy.keystore, ApkFixture.PASSWORD.toCharArray(), null, null);
    var lineage = new com.android.apksig.SigningCertificateLineage.Builder(
        new com.android.apksig.SigningCertificateLineage.SignerConfig.Builder(
            new com.android.apksig.KeyConfig.Jca(oldKey.privateKey()), oldKey.certificate()).build(),
        new com.android.apksig.SigningCertificateLineage.SignerConfig.Builder(
            new com.android.apksig.KeyConfig.Jca(newKey.privateKey()), newKey.certificate()).build()).build();
    Path lineageFile = dir.resolve("lineage.bin");
    lineage.writeToFile(lineageFile.toFile());
    Path out = dir.resolve("out/rotated.apk");
    CliRun run = legacy.build(out, "--lineage", lineageFile, "--previous-ks", previous, "--previous-ks-pass",
        "pass:old-secret");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("v3.1");
    ApkVerifier.Result result = new ApkVerifier.Builder(out.toFile()).build().verify();
    assertThat(result.isVerifiedUsingV31Scheme()).isTrue();
    assertThat(result.isVerifiedUsingV3Scheme()).isTrue();
    Tools.runOk(dir, "apksigner", "verify", out.toString());
  }

  @Test
  void refusesAMissingKeystore() {
    assertFailsCleanly(legacy.buildWith(dir.resolve("out/x.apk"), "--ks", dir.resolve("nope.p12")),
        "no such file");
  }

  @Test
  void refusesAWrongPassword() {
    assertFailsCleanly(legacy.buildWith(dir.resolve("out/x.apk"), "--ks-pass", "pass:wrong"),
        "wrong keystore password");
  }

  @Test
  void refusesACorruptKeystore() throws IOException {
    Path corrupt = dir.resolve("corrupt.p12");
    byte[] bytes = Files.readAllBytes(legacy.keystore);
    Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertFailsCleanly(legacy.buildWith(dir.resolve("out/x.apk"), "--ks", corrupt), "keystore");
  }

  @Test
  void refusesACorruptZip() throws IOException {
    Path corrupt = dir.resolve("corrupt.apk");
    byte[] bytes = Files.readAllBytes(legacy.unsigned);
    Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length - 30));
    assertFailsCleanly(CliRun.of(replaceInput(corrupt)), "not a valid zip");
  }

  @Test
  void refusesAnInputThatIsNotAnApp() throws IOException {
    Path notApk = dir.resolve("not-an-app.apk");
    try (var out = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(notApk)) {
      out.putArchiveEntry(new ZipArchiveEntry("readme.txt"));
      out.write("hello".getBytes());
      out.closeArchiveEntry();
    }
    assertFailsCleanly(CliRun.of(replaceInput(notApk)), "not an APK");
  }

  @Test
  void refusesAFingerprintForTheOtherPlatform() {
    Path ios = dir.resolve("ios-base.json");
    CliRun.of("fingerprint", "--platform", "ios", "--otp", legacy.otp, "--out", ios);
    assertFailsCleanly(legacy.buildWith(dir.resolve("out/x.apk"), "--fingerprint", ios), "not android");
  }

  private Object[] replaceInput(Path input) {
    var args = legacy.args(dir.resolve("out/x.apk"));
    args.set(1, input);
    return args.toArray();
  }

  /** Exit 3, the reason named, and nothing written: no APK, no temporary file. */
  private void assertFailsCleanly(CliRun run, String reason) {
    assertThat(run.exit()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains(reason);
    assertThat(dir.resolve("out/x.apk")).doesNotExist();
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
