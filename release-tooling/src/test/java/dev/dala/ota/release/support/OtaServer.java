package dev.dala.ota.release.support;

import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import dev.dala.ota.testing.services.FreePort;
import dev.dala.ota.testing.services.PostgresServer;
import dev.dala.ota.testing.services.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real dala-ota server, started the way {@code ./ota up} starts it: its packaged jar, a
 * private PostgreSQL cluster, S3Proxy and a fresh key folder. The jar comes from ota-server's
 * build ({@code dala.test.server-jar}); a missing jar fails the test, since the reactor builds
 * ota-server first.
 */
public final class OtaServer implements AutoCloseable {

  public static final String ADMIN_TOKEN = "ota_release-tooling-test-token-0123456789";

  private final PostgresServer postgres;
  private final S3ProxyServer s3;
  private final Process process;
  private final Path keys;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private OtaServer(PostgresServer postgres, S3ProxyServer s3, Process process, Path keys, int port) {
    this.postgres = postgres;
    this.s3 = s3;
    this.process = process;
    this.keys = keys;
    this.port = port;
  }

  public static OtaServer start() {
    Path jar = Path.of(System.getProperty("dala.test.server-jar", "../ota-server/target/quarkus-app/quarkus-run.jar"));
    Path s3Jar = Path.of(System.getProperty("dala.test.s3proxy-jar", "target/tools/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no server at " + jar + "; build ota-server first (./mvnw install builds it before "
          + "release-tooling)");
    }
    PostgresServer postgres = PostgresServer.start();
    S3ProxyServer s3 = null;
    try {
      s3 = S3ProxyServer.start(s3Jar);
      Path keys = writeKeys();
      int port = FreePort.pick();
      Path log = Path.of(System.getProperty("dala.test.server-log", "target/register-server.log"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx512m",
          "-jar", jar.toAbsolutePath().toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("OTA_HTTP_PORT", String.valueOf(port));
      env.put("OTA_HTTP_HOST", "127.0.0.1");
      env.put("OTA_DB_URL", postgres.url());
      env.put("OTA_DB_USER", PostgresServer.USER);
      env.put("OTA_DB_PASSWORD", PostgresServer.PASSWORD);
      env.put("OTA_S3_ENDPOINT", s3.endpoint());
      env.put("OTA_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
      env.put("OTA_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
      env.put("OTA_KEYS_DIR", keys.toString());
      env.put("OTA_BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN);
      // Registering needs no Erlang distribution; keep the server off the shared EPMD port.
      env.put("OTA_DIST_ENABLED", "false");
      env.put("OTA_EPMD_PORT", String.valueOf(FreePort.pick()));
      env.put("OTA_DIST_PORT", String.valueOf(FreePort.pick()));
      OtaServer server = new OtaServer(postgres, s3, builder.start(), keys, port);
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      stopQuietly(s3, postgres);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      stopQuietly(s3, postgres);
      throw e;
    }
  }

  private static void stopQuietly(S3ProxyServer s3, PostgresServer postgres) {
    if (s3 != null) {
      s3.close();
    }
    postgres.close();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Calls the admin API with the bootstrap admin token. */
  public HttpResponse<String> call(String method, String path, String contentType, byte[] body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
          .header("Authorization", "Bearer " + ADMIN_TOKEN)
          .timeout(Duration.ofSeconds(30));
      if (body != null) {
        request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the server exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the server did not become ready in 120 s:\n" + Files.readString(log));
  }

  /** A root with release and session keys, as {@code ./ota up} creates them. */
  private static Path writeKeys() throws IOException {
    Path dir = Files.createTempDirectory("dala-ota-keys-");
    SigningKey root = SigningKey.generate();
    SignedDocument rootDoc = TrustAuthority.createRoot(root, Instant.now());
    Files.write(dir.resolve("root-1.etf"), rootDoc.encode());
    Files.writeString(dir.resolve("root-1.pub.pem"), PemKeys.writeVerifyingKey(root.verifyingKey()));
    for (Role role : Role.values()) {
      SigningKey key = SigningKey.generate();
      Instant now = Instant.now().minusSeconds(60);
      SignedDocument cert;
      try {
        cert = TrustAuthority.certify(rootDoc, root, role, key.verifyingKey(), now, now.plus(Duration.ofDays(30)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      String stem = role.atom() + "-" + key.keyId().shortForm();
      Files.writeString(dir.resolve(stem + ".key.pem"), PemKeys.writeSigningKey(key));
      Files.write(dir.resolve(stem + ".cert.etf"), cert.encode());
    }
    return dir;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    s3.close();
    postgres.close();
    dev.dala.ota.release.cli.WorkDir.deleteTree(keys);
  }
}
