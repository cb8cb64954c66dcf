package dev.dala.ota.release.apk;

import dev.dala.ota.release.support.Apks;
import dev.dala.ota.release.support.CliRun;
import dev.dala.ota.release.support.Keys;
import dev.dala.ota.release.support.OtpTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The inputs of one {@code release apk} run, built with real tools in a test's folder. */
final class ApkFixture {

  static final String PASSWORD = "store-secret";

  final Path dir;
  final Path unsigned;
  final Path otp;
  final Path root;
  final Path fingerprint;
  final Path keystore;

  ApkFixture(Path dir, int minSdk) {
    this.dir = dir;
    this.unsigned = Apks.unsigned(dir, minSdk);
    this.otp = OtpTrees.basic(dir.resolve("otp"), "v1");
    this.root = Keys.rootPem(dir, "root-1");
    this.fingerprint = dir.resolve("base.json");
    CliRun fp = CliRun.of("fingerprint", "--platform", "android", "--otp", otp, "--static-nif", "good_nif",
        "--out", fingerprint);
    if (fp.exit() != 0) {
      throw new AssertionError(fp.toString());
    }
    this.keystore = Apks.keystore(dir, "PKCS12", "release", PASSWORD);
  }

  /** The arguments of a run that should succeed, writing {@code out}, followed by {@code extra}. */
  List<Object> args(Path out, Object... extra) {
    List<Object> args = new ArrayList<>(List.of("apk", unsigned, "--otp", otp, "--ebin",
        dev.dala.ota.release.support.Beams.appEbin("v1"), "--server-url", "https://ota.example.com",
        "--app-id", "com.example.app", "--channel-key", "ck_test_0123456789", "--root", root, "--fingerprint",
        fingerprint, "--ks", keystore, "--ks-pass", "pass:" + PASSWORD, "--out", out));
    args.addAll(List.of(extra));
    return args;
  }

  CliRun build(Path out, Object... extra) {
    return CliRun.of(args(out, extra).toArray());
  }

  /** The same arguments with one option's value replaced. */
  CliRun buildWith(Path out, String option, Object value) {
    List<Object> args = args(out);
    args.set(args.indexOf(option) + 1, value);
    return CliRun.of(args.toArray());
  }
}
