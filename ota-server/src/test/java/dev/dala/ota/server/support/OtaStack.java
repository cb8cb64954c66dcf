package dev.dala.ota.server.support;

import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import dev.dala.ota.testing.services.PostgresServer;
import dev.dala.ota.testing.services.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The real services a server test runs against: a private PostgreSQL cluster, S3Proxy on the
 * filesystem, and a key folder with a root and release and session keys, as {@code ./ota up}
 * makes them.
 */
public class OtaStack implements QuarkusTestResourceLifecycleManager {

  /** The admin token of the organisation the server creates at first start. */
  public static final String ADMIN_TOKEN = "ota_test-admin-token-0123456789abcdefghij";

  private static PostgresServer postgres;
  private static S3ProxyServer s3;
  private static Path keys;

  @Override
  public Map<String, String> start() {
    postgres = PostgresServer.start();
    s3 = S3ProxyServer.start(Path.of(System.getProperty("dala.test.s3proxy-jar", "target/tools/s3proxy.jar")));
    keys = writeKeys();
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.datasource.reactive.url", postgres.url());
    config.put("quarkus.datasource.jdbc.url", "jdbc:" + postgres.url());
    config.put("quarkus.datasource.username", PostgresServer.USER);
    config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
    config.put("ota.storage.endpoint", s3.endpoint());
    config.put("ota.storage.access-key", S3ProxyServer.ACCESS_KEY);
    config.put("ota.storage.secret-key", S3ProxyServer.SECRET_KEY);
    config.put("ota.keys.dir", keys.toString());
    config.put("ota.bootstrap.admin-token", ADMIN_TOKEN);
    // The distribution endpoint on free ports; devices in tests reach EPMD with -epmd_port.
    config.put("ota.dist.node-name", "ota@127.0.0.1");
    config.put("ota.dist.bind-host", "127.0.0.1");
    config.put("ota.dist.epmd-port", "0");
    config.put("ota.dist.port", "0");
    config.put("ota.dist.listeners", "2");
    // Short enough that the test of a silent agent does not wait half a minute.
    config.put("ota.dist.want-timeout", "PT3S");
    config.put("ota.dist.cookie-key", java.util.Base64.getEncoder().encodeToString(randomBytes(32)));
    return config;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** The stored objects, for tests that check nothing was stored. */
  public static Path objectsDir() {
    return s3.dataDir();
  }

  public static Path keysDir() {
    return keys;
  }

  static Path writeKeys() {
    try {
      Path dir = Files.createTempDirectory("dala-ota-keys-");
      SigningKey root = SigningKey.generate();
      SignedDocument rootDoc = TrustAuthority.createRoot(root, Instant.now());
      Files.write(dir.resolve("root-1.etf"), rootDoc.encode());
      Files.writeString(dir.resolve("root-1.pub.pem"), PemKeys.writeVerifyingKey(root.verifyingKey()));
      for (Role role : Role.values()) {
        SigningKey key = SigningKey.generate();
        Instant now = Instant.now().minusSeconds(60);
        SignedDocument cert = TrustAuthority.certify(rootDoc, root, role, key.verifyingKey(), now, now.plus(Duration.ofDays(30)));
        String stem = role.atom() + "-" + key.keyId().shortForm();
        Files.writeString(dir.resolve(stem + ".key.pem"), PemKeys.writeSigningKey(key));
        Files.write(dir.resolve(stem + ".cert.etf"), cert.encode());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (keys != null) {
      dev.dala.ota.testing.otp.OtpRuntime.deleteTree(keys);
    }
    if (s3 != null) {
      s3.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
