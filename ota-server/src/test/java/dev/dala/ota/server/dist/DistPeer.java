package dev.dala.ota.server.dist;

import dev.dala.ota.testing.otp.OtpRuntime;
import dev.dala.ota.testing.otp.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A real BEAM node acting as a device against the endpoint: {@code dist_peer.erl}, compiled by
 * the runtime's own erlc, run as one scenario per node. The node finds the endpoint through
 * {@code -epmd_port}, as a device finds it on port 4369.
 */
final class DistPeer implements AutoCloseable {

  private final OtpRuntime runtime;
  private final Path dir;

  private DistPeer(OtpRuntime runtime, Path dir) {
    this.runtime = runtime;
    this.dir = dir;
  }

  static DistPeer compile(OtpRuntime runtime) {
    Path dir = runtime.newWorkDir();
    try (InputStream source = DistPeer.class.getResourceAsStream("/erlang/dist_peer.erl")) {
      Files.write(dir.resolve("dist_peer.erl"), source.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runtime.erlc(dir, "dist_peer.erl");
    return new DistPeer(runtime, dir);
  }

  OtpRuntime runtime() {
    return runtime;
  }

  /** Runs {@code scenario} and completes with the node's RESULT term as text. */
  CompletableFuture<String> start(int epmdPort, String scenario, String serverNode, String deviceNode, String cookie,
      String... args) {
    List<String> argv = new ArrayList<>(List.of("erl", "-noshell", "-epmd_port", Integer.toString(epmdPort),
        "-pa", ".", "-run", "dist_peer", "main", scenario, serverNode, deviceNode, cookie));
    argv.addAll(List.of(args));
    return CompletableFuture.supplyAsync(() -> resultOf(
        runtime.run(dir, Duration.ofMinutes(2), argv.toArray(String[]::new))));
  }

  String run(int epmdPort, String scenario, String serverNode, String deviceNode, String cookie, String... args) {
    return start(epmdPort, scenario, serverNode, deviceNode, cookie, args).join();
  }

  private static String resultOf(ProcessResult result) {
    return result.stdout().lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).findFirst()
        .orElseThrow(() -> new AssertionError("no RESULT from the node\nstdout:\n" + result.stdout()
            + "\nstderr:\n" + result.stderr()));
  }

  @Override
  public void close() {
    OtpRuntime.deleteTree(dir);
  }
}
