package dev.dala.ota.release.support;

import dev.dala.ota.testing.otp.ProcessResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Debian tools the fixtures are built and checked with. A missing tool fails the test with
 * the package that provides it; CI installs them all, so a skip would only hide a broken setup.
 */
public final class Tools {

  /** Each tool and the Debian package it comes from. */
  private static final Map<String, String> PACKAGES = Map.of(
      "aapt", "aapt",
      "apksigner", "apksigner",
      "zipalign", "zipalign",
      "clang", "clang and lld",
      "keytool", "a JDK",
      "unzip", "unzip",
      "ar", "binutils",
      "plistutil", "libplist-utils");

  /** What a finished command printed. */
  public record Result(int exit, String output) {
    public Result requireSuccess(List<String> command) {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exit + ":\n" + output);
      }
      return this;
    }
  }

  private Tools() {}

  /** The tool's path; fails naming the Debian package when it is not installed. */
  public static String require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    if (tool.equals("keytool")) {
      Path jdk = Path.of(System.getProperty("java.home"), "bin", "keytool");
      if (Files.isExecutable(jdk)) {
        return jdk.toString();
      }
    }
    throw new AssertionError(tool + " is not installed; install Debian's " + PACKAGES.getOrDefault(tool, tool)
        + " package (.ci/run does)");
  }

  public static Result run(Path dir, String... command) {
    List<String> argv = new ArrayList<>(List.of(command));
    argv.set(0, require(argv.get(0)));
    ProcessResult result = ProcessResult.run(new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true),
        Duration.ofMinutes(2), String.join(" ", argv));
    return new Result(result.exitCode(), result.stdout());
  }

  public static Result runOk(Path dir, String... command) {
    return run(dir, command).requireSuccess(List.of(command));
  }
}
