package dev.dala.ota.testing.otp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What a finished command printed and how it exited. */
public record ProcessResult(String description, int exitCode, String stdout, String stderr) {

  /** Runs {@code builder} to completion, killing it (and failing) after {@code timeout}. */
  public static ProcessResult run(ProcessBuilder builder, Duration timeout, String description) {
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        OtpRuntime.destroy(process);
        throw new AssertionError(description + " did not finish within " + timeout);
      }
      return new ProcessResult(description, process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + description, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + description, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** This result, or an assertion error that shows the command's output. */
  public ProcessResult requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError(description + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
    }
    return this;
  }
}
