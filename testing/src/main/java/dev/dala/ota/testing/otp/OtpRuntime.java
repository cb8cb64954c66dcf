package dev.dala.ota.testing.otp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Erlang/OTP installation that tests run commands in: the host's own (OTP 25 on these
 * machines) or the Debian sid root that {@code tools/otp-chroot} builds (OTP 29).
 *
 * <p>Files are exchanged through {@link #newWorkDir()}, a folder both the test and the runtime
 * can see; {@link #pathInside(Path)} gives its name as the runtime sees it.
 */
public final class OtpRuntime {

  /** The system property naming the sid root; {@code ./ota test} sets it. */
  public static final String OTP29_ROOT_PROPERTY = "dala.test.otp29-root";

  private final String label;
  private final Path chrootDir;

  private OtpRuntime(String label, Path chrootDir) {
    this.label = label;
    this.chrootDir = chrootDir;
  }

  /** The host's OTP, found on the PATH. */
  public static OtpRuntime host() {
    return new OtpRuntime("host", null);
  }

  /**
   * OTP 29 from the sid root. When the root is not configured the calling test is skipped with
   * the reason; {@code ./ota test} and CI always configure it.
   */
  public static OtpRuntime otp29() {
    String root = System.getProperty(OTP29_ROOT_PROPERTY, "");
    Assumptions.assumeFalse(root.isBlank(),
        "OTP 29 root not configured (-D" + OTP29_ROOT_PROPERTY + "); ./ota test builds it with tools/otp-chroot");
    Path dir = Path.of(root);
    if (!Files.isDirectory(dir.resolve("usr/lib/erlang"))) {
      throw new IllegalStateException("no OTP in " + dir + "; run tools/otp-chroot ensure sid");
    }
    return new OtpRuntime("otp29", dir);
  }

  /** Both runtimes, for tests that must agree with each. */
  public static List<OtpRuntime> all() {
    return List.of(host(), otp29());
  }

  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }

  public boolean isChroot() {
    return chrootDir != null;
  }

  /** A fresh, empty folder visible to this runtime, as a host path. */
  public Path newWorkDir() {
    try {
      Path base = chrootDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : chrootDir.resolve("tmp");
      Path dir = base.resolve("dala-ota-test-" + UUID.randomUUID());
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How the runtime names a host path that lies inside one of its work folders. */
  public String pathInside(Path hostPath) {
    Path absolute = hostPath.toAbsolutePath().normalize();
    if (chrootDir == null) {
      return absolute.toString();
    }
    Path root = chrootDir.toAbsolutePath().normalize();
    if (!absolute.startsWith(root)) {
      throw new IllegalArgumentException(hostPath + " is outside the " + label + " root");
    }
    return "/" + root.relativize(absolute);
  }

  /** Runs {@code command} with {@code workDir} as its working folder. */
  public ProcessResult run(Path workDir, Duration timeout, String... command) {
    Objects.requireNonNull(workDir, "workDir");
    List<String> argv = new ArrayList<>();
    if (chrootDir == null) {
      argv.addAll(List.of(command));
    } else {
      argv.addAll(List.of("chroot", chrootDir.toString(), "/usr/bin/env", "HOME=/tmp", "LANG=C.UTF-8",
          "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", pathInside(workDir)));
      argv.addAll(List.of(command));
    }
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (chrootDir == null) {
      builder.directory(workDir.toFile());
      builder.environment().put("HOME", workDir.toString());
    }
    return ProcessResult.run(builder, timeout, String.join(" ", command));
  }

  /** Compiles Erlang sources with this runtime's erlc into {@code workDir}. */
  public void erlc(Path workDir, String... sourceFiles) {
    List<String> argv = new ArrayList<>(List.of("erlc", "-o", "."));
    argv.addAll(List.of(sourceFiles));
    run(workDir, Duration.ofMinutes(2), argv.toArray(String[]::new)).requireSuccess();
  }

  /** Evaluates Erlang {@code expressions} in a fresh node whose code path includes {@code workDir}. */
  public ProcessResult eval(Path workDir, Duration timeout, String expressions) {
    return run(workDir, timeout, "erl", "-noshell", "-pa", ".", "-eval", expressions);
  }

  /** The runtime's OTP release, such as {@code "25"}. */
  public String otpRelease() {
    Path dir = newWorkDir();
    try {
      return eval(dir, Duration.ofSeconds(60),
          "io:format(\"~s\", [erlang:system_info(otp_release)]), halt().")
          .requireSuccess().stdout().trim();
    } finally {
      deleteTree(dir);
    }
  }

  /** Removes a work folder and everything in it. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
