package dev.dala.ota.release.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    try {
      Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + argv, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static Result runOk(Path dir, String... command) {
    return run(dir, command).requireSuccess(List.of(command));
  }
}
