package dev.dala.ota.release.ipa;

import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.IosApps;
import dev.dala.ota.release.support.Profiles;
import dev.dala.ota.release.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpaCommandTest {

  @TempDir
  static Path dir;

  static IpaFixture clean;
  static Path ipa;
  static CliRun built;

  @BeforeAll
  static void buildIpa() {
    clean = new IpaFixture(dir.resolve("clean"), false);
    ipa = dir.resolve("out/DalaDemo.ipa");
    built = clean.build(ipa);
    assertThat(built.exit()).as(built.toString()).isZero();
  }

  @Test
  void preflightFindsNothingInTheIpaItBuilds() {
    CliRun preflight = CliRun.of("preflight", ipa, "--json");
    assertThat(preflight.exit()).as(preflight.toString()).isZero();
    assertThat(preflight.json().get("findings")).isEmpty();
    assertThat(preflight.json().get("errors").asInt()).isZero();
  }

  @Test
  void theCodeResourcesLinkSurvivesPackaging() throws IOException {
    Path unzipped = dir.resolve("unzipped");
    Tools.runOk(dir, "unzip", "-q", ipa.toString(), "-d", unzipped.toString());
    Path link = unzipped.resolve("Payload/" + IosApps.NAME + ".app/CodeResources");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("_CodeSignature/CodeResources");
    assertThat(Files.isRegularFile(link)).as("the link resolves").isTrue();
    Path exe = unzipped.resolve("Payload/" + IosApps.NAME + ".app/" + IosApps.NAME);
    assertThat(Files.isExecutable(exe)).isTrue();
  }

  @Test
  void otpKeepsOnlyBeamsAndData() throws IOException {
    Path unzipped = dir.resolve("pruned");
    Tools.runOk(dir, "unzip", "-q", ipa.toString(), "-d", unzipped.toString());
    Path otp = unzipped.resolve("Payload/" + IosApps.NAME + ".app/otp");
    try (Stream<Path> files = Files.walk(otp)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> otp.relativize(p).toString()))
          .contains("lib/kernel-8.5/ebin/base_util.beam", "lib/stdlib-4.2/priv/tables.txt",
              "releases/25/OTP_VERSION")
          .noneMatch(p -> p.endsWith(".so") || p.endsWith(".a") || p.contains("erts-") || p.contains("os_mon")
              || p.contains("erl_interface") || p.endsWith(".erl"));
    }
    assertThat(built.out()).contains("removed").contains("unused app");
  }

  @Test
  void fixesInfoPlistAndEmbedsConfigAndProfile() throws Exception {
    Path unzipped = dir.resolve("plist");
    Tools.runOk(dir, "unzip", "-q", ipa.toString(), "-d", unzipped.toString());
    Path app = unzipped.resolve("Payload/" + IosApps.NAME + ".app");
    NSDictionary plist = (NSDictionary) PropertyListParser.parse(app.resolve("Info.plist").toFile());
    assertThat(plist.objectForKey("MinimumOSVersion").toString()).isEqualTo("15.0");
    assertThat(plist.objectForKey("DTPlatformName").toString()).isEqualTo("iphoneos");
    assertThat(((NSArray) plist.objectForKey("CFBundleSupportedPlatforms")).objectAtIndex(0).toString())
        .isEqualTo("iPhoneOS");
    assertThat(plist.objectForKey("UIDeviceFamily")).isNotNull();
    assertThat(app.resolve("embedded.mobileprovision")).hasSameBinaryContentAs(clean.profile);
    assertThat(app.resolve("dala_ota/config.etf")).isRegularFile();
    Tools.runOk(dir, "plistutil", "-i", app.resolve("Info.plist").toString());
  }

  @Test
  void signsWithCodesignAndTheProfilesEntitlements() throws IOException {
    String log = Files.readString(clean.dir.resolve("codesign.log"));
    assertThat(log).contains("--entitlements").contains("--generate-entitlement-der")
        .contains("Apple Distribution: Dala Tests").contains(IosApps.NAME + ".app");
  }

  @Test
  void aSecondBuildIsByteIdentical() throws IOException {
    Path again = dir.resolve("out/again.ipa");
    CliRun run = clean.build(again);
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(ipa));
  }

  @Test
  void buildsAnUnsignedIpaOnLinuxThatPreflightCallsUnsigned() {
    var args = clean.args(dir.resolve("out/unsigned.ipa"));
    int sign = args.indexOf("--sign");
    args.set(sign, "--unsigned");
    args.remove(sign + 1);
    CliRun run = CliRun.of(args.toArray());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).contains("not signed");
    CliRun preflight = CliRun.of("preflight", dir.resolve("out/unsigned.ipa"));
    assertThat(preflight.exit()).isEqualTo(1);
    assertThat(preflight.out()).contains("not_signed").doesNotContain("90171");
  }

  @Test
  void buildsFromTheAppsParts() throws IOException {
    Path parts = Files.createDirectories(dir.resolve("parts"));
    Path exe = Files.copy(clean.app.resolve(IosApps.NAME), parts.resolve(IosApps.NAME));
    Path plist = Files.copy(clean.app.resolve("Info.plist"), parts.resolve("Info.plist"));
    var args = clean.args(dir.resolve("out/parts.ipa"), "--executable", exe, "--info-plist", plist, "--otp",
        clean.app.resolve("otp"), "--build-number", "13");
    int app = args.indexOf("--app");
    args.remove(app + 1);
    args.remove(app);
    CliRun run = CliRun.of(args.toArray());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("CFBundleVersion: 12 -> 13");
    assertThat(CliRun.of("preflight", dir.resolve("out/parts.ipa")).exit()).isZero();
  }

  @Test
  void refusesAnExpiredProfile() {
    Path expired = Profiles.write(dir, "expired", Profiles.Spec.appStore().expiresAt(Instant.now().minusSeconds(60)));
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--profile", expired), 1, "expired");
  }

  @Test
  void refusesAProfileForAnotherBundleId() {
    Path other = Profiles.write(dir, "other", Profiles.Spec.appStore().forApp("com.example.other"));
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--profile", other), 1, "not com.example.dala");
  }

  @Test
  void refusesAProfileOfAnotherTeam() {
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--team-id", "ZZZZZ99999"), 1, "not ZZZZZ99999");
  }

  @Test
  void refusesADevelopmentProfileListingEveryProblem() {
    Path dev = Profiles.write(dir, "dev", Profiles.Spec.appStore().development());
    CliRun run = clean.buildWith(dir.resolve("out/x.ipa"), "--profile", dev);
    assertRefused(run, 1, "lists devices");
    assertThat(run.err()).contains("get-task-allow");
  }

  @Test
  void refusesACorruptProfile() throws IOException {
    Path corrupt = dir.resolve("corrupt.mobileprovision");
    byte[] bytes = Files.readAllBytes(clean.profile);
    Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--profile", corrupt), 3, "provisioning profile");
  }

  @Test
  void refusesEntitlementsTheProfileDoesNotGrant() throws IOException {
    Path entitlements = Files.writeString(dir.resolve("app.entitlements"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict><key>aps-environment</key><string>production</string></dict></plist>
        """);
    assertRefused(clean.build(dir.resolve("out/x.ipa"), "--entitlements", entitlements), 1, "aps-environment");
  }

  @Test
  void refusesAnAppThatStillHasTheTestHarness() {
    IpaFixture harness = new IpaFixture(dir.resolve("harness"), true);
    CliRun run = harness.build(dir.resolve("out/x.ipa"));
    assertRefused(run, 1, "private_selector");
    assertThat(run.err()).contains("_addTouch:forDelayedDelivery:").contains("_clearTouches")
        .doesNotContain("addTouchToQueue:");
  }

  @Test
  void refusesAnOtpTreeOverItsBudget() {
    assertRefused(clean.build(dir.resolve("out/x.ipa"), "--otp-budget", "1000"), 1, "otp_over_budget");
  }

  @Test
  void refusesAnInputThatIsNotAnApp() throws IOException {
    Path notApp = Files.createDirectories(dir.resolve("NotAnApp.app"));
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--app", notApp), 3, "not an app bundle");
  }

  @Test
  void reportsThatCodesignIsMissing() {
    assertRefused(clean.buildWith(dir.resolve("out/x.ipa"), "--codesign-tool", dir.resolve("no-codesign")), 4,
        "macOS");
  }

  private void assertRefused(CliRun run, int exit, String reason) {
    assertThat(run.exit()).as(run.toString()).isEqualTo(exit);
    assertThat(run.err()).contains(reason);
    assertThat(dir.resolve("out/x.ipa")).doesNotExist();
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
