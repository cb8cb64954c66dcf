package dev.dala.ota.release.ipa;

import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Signs with Apple's {@code codesign} (macOS only), with the entitlements from the profile. */
public final class CodesignSigner implements BundleSigner {

  private static final long TIMEOUT_MINUTES = 10;
  private final String tool;
  private final String identity;

  /** {@code tool} is {@code codesign}, or a path to it; {@code identity} a keychain signing identity. */
  public CodesignSigner(String tool, String identity) {
    this.tool = Objects.requireNonNull(tool, "tool");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  @Override
  public boolean signs() {
    return true;
  }

  @Override
  public String describe() {
    return "codesign as \"" + identity + "\"";
  }

  @Override
  public void sign(Path app, List<Path> nested, Path entitlements) {
    for (Path code : nested) {
      run(List.of(tool, "--force", "--sign", identity, "--timestamp", code.toString()));
    }
    // DER entitlements are what iOS 15 and later read; codesign only adds them when asked.
    run(List.of(tool, "--force", "--sign", identity, "--timestamp", "--entitlements", entitlements.toString(),
        "--generate-entitlement-der", app.toString()));
  }

  private static void run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ReleaseException(ExitCode.UNAVAILABLE, "cannot run " + command.get(0) + " (" + e.getMessage()
          + "); codesign exists only on macOS with Xcode's command-line tools. On Linux, build with --unsigned "
          + "and sign on a Mac");
    }
    try {
      byte[] output = process.getInputStream().readNBytes(1 << 20);
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new ReleaseException(ExitCode.UNAVAILABLE, command.get(0) + " did not finish in "
            + TIMEOUT_MINUTES + " minutes");
      }
      if (process.exitValue() != 0) {
        List<String> lines = new ArrayList<>(new String(output, StandardCharsets.UTF_8).lines().toList());
        throw new ReleaseException(ExitCode.UNAVAILABLE, command.get(0) + " failed with exit code "
            + process.exitValue() + " signing " + command.get(command.size() - 1), lines);
      }
    } catch (IOException e) {
      throw new ReleaseException(ExitCode.UNAVAILABLE, "codesign: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new ReleaseException(ExitCode.UNAVAILABLE, "interrupted while codesign ran");
    }
  }
}
