package dev.dala.ota.server.session;

import dev.dala.ota.testing.otp.OtpRuntime;
import dev.dala.ota.testing.otp.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A real node running {@code session_device.erl}: the device side of one delivery session. */
final class SessionDevice {

  private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();

  private SessionDevice() {}

  /** Runs {@code scenario} for {@code session}; returns the node's RESULT term as text. */
  static String run(OtpRuntime runtime, int epmdPort, String scenario, OfferedSession session) {
    return run(runtime, epmdPort, scenario, session.serverNode(), session.deviceNode(), session.cookie());
  }

  static String run(OtpRuntime runtime, int epmdPort, String scenario, String serverNode, String deviceNode,
      String cookie) {
    Path dir = COMPILED.computeIfAbsent(runtime.label(), label -> compile(runtime));
    ProcessResult result = runtime.run(dir, Duration.ofMinutes(3), "erl", "-noshell", "-epmd_port",
        Integer.toString(epmdPort), "-pa", ".", "-run", "session_device", "main", scenario, serverNode, deviceNode,
        cookie);
    return result.stdout().lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).findFirst()
        .orElseThrow(() -> new AssertionError("no RESULT from the node\nstdout:\n" + result.stdout()
            + "\nstderr:\n" + result.stderr()));
  }

  private static Path compile(OtpRuntime runtime) {
    Path dir = runtime.newWorkDir();
    try (InputStream source = SessionDevice.class.getResourceAsStream("/erlang/session_device.erl")) {
      Files.write(dir.resolve("session_device.erl"), source.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runtime.erlc(dir, "session_device.erl");
    return dir;
  }
}
