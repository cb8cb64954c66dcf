package dev.dala.ota.testing.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * S3Proxy with a filesystem backend, a real S3-compatible server, run as its own process from
 * the jar that the build copies next to the server ({@code ota-server/target/tools/s3proxy.jar}).
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "ota-test-access";
  public static final String SECRET_KEY = "ota-test-secret-key-0123456789";

  private final Process process;
  private final Path dir;
  private final int port;

  private S3ProxyServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts S3Proxy from {@code jar}; waits until it answers HTTP. */
  public static S3ProxyServer start(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no S3Proxy jar at " + jar + "; build ota-server first");
    }
    try {
      Path dir = Files.createTempDirectory("dala-ota-s3-");
      Files.createDirectories(dir.resolve("data"));
      int port = FreePort.pick();
      Path properties = dir.resolve("s3proxy.properties");
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dir.resolve("data"),
          ""));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("s3proxy.log").toFile())
          .start();
      S3ProxyServer server = new S3ProxyServer(process, dir, port);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The folder holding the stored objects, one sub-folder per bucket. */
  public Path dataDir() {
    return dir.resolve("data");
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited; see " + dir.resolve("s3proxy.log"));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        c.getResponseCode();
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
    throw new IllegalStateException("S3Proxy did not answer within " + timeout);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is not worth failing a test run.
    }
  }
}
