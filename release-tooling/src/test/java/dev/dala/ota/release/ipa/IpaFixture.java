package dev.dala.ota.release.ipa;

import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.IosApps;
import dev.dala.ota.release.support.Keys;
import dev.dala.ota.release.support.Profiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The inputs of one {@code release ipa} run: a .app built with clang, a profile, keys, a fake codesign. */
final class IpaFixture {

  final Path dir;
  final Path app;
  final Path root;
  final Path fingerprint;
  final Path profile;
  final Path codesign;

  IpaFixture(Path dir, boolean harness) {
    try {
      this.dir = Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.app = IosApps.app(dir, harness);
    this.root = Keys.rootPem(dir, "root-1");
    this.fingerprint = dir.resolve("ios-base.json");
    CliRun fp = CliRun.of("fingerprint", "--platform", "ios", "--otp", app.resolve("otp"), "--static-nif",
        "good_nif", "--out", fingerprint);
    if (fp.exit() != 0) {
      throw new AssertionError(fp.toString());
    }
    this.profile = Profiles.write(dir, "appstore", Profiles.Spec.appStore());
    this.codesign = IosApps.fakeCodesign(dir);
  }

  List<Object> args(Path out, Object... extra) {
    List<Object> args = new ArrayList<>(List.of("ipa", "--app", app, "--server-url", "https://ota.example.com",
        "--app-id", Profiles.BUNDLE_ID, "--channel-key", "ck_ios_0123456789", "--root", root, "--fingerprint",
        fingerprint, "--profile", profile, "--team-id", Profiles.TEAM, "--sign",
        "Apple Distribution: Dala Tests (" + Profiles.TEAM + ")", "--codesign-tool", codesign, "--out", out));
    args.addAll(List.of(extra));
    return args;
  }

  CliRun build(Path out, Object... extra) {
    return CliRun.of(args(out, extra).toArray());
  }

  CliRun buildWith(Path out, String option, Object value) {
    List<Object> args = args(out);
    args.set(args.indexOf(option) + 1, value);
    return CliRun.of(args.toArray());
  }
}
