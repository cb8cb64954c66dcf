package dev.dala.ota.testing.services;

import dev.dala.ota.testing.otp.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for one test run: initdb into a fresh folder, pg_ctl on a free
 * loopback port. PostgreSQL refuses to run as root, so under root it runs as the
 * {@code postgres} user that Debian's package creates.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "ota";
  public static final String PASSWORD = "ota-test-password";
  public static final String DATABASE = "ota";

  private final Path dir;
  private final int port;
  private final Path bin;
  private final boolean asPostgresUser;

  private PostgresServer(Path dir, int port, Path bin, boolean asPostgresUser) {
    this.dir = dir;
    this.port = port;
    this.bin = bin;
    this.asPostgresUser = asPostgresUser;
  }

  public static PostgresServer start() {
    Path bin = binDir();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("dala-ota-pg-");
      if (root) {
        run(List.of("chown", "postgres:postgres", dir.toString()), false, bin);
        run(List.of("chmod", "700", dir.toString()), false, bin);
      }
      PostgresServer pg = new PostgresServer(dir, FreePort.pick(), bin, root);
      Path pwfile = dir.resolve("pw");
      Files.writeString(pwfile, PASSWORD);
      if (root) {
        run(List.of("chown", "postgres", pwfile.toString()), false, bin);
      }
      pg.pg(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
          "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"));
      pg.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
          "-l", dir.resolve("log").toString(), "-o",
          "-p " + pg.port + " -h 127.0.0.1 -k " + dir + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
              + " -c max_connections=200",
          "start"));
      pg.pg(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.port), "-U", USER,
          DATABASE));
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code postgresql://127.0.0.1:PORT/ota}: prefix with {@code jdbc:} for JDBC. */
  public String url() {
    return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  private void pg(List<String> command) {
    run(command, asPostgresUser, bin);
  }

  private static void run(List<String> command, boolean asPostgresUser, Path bin) {
    List<String> argv = new ArrayList<>();
    if (asPostgresUser) {
      argv.addAll(List.of("runuser", "-u", "postgres", "--", "env", "PGPASSWORD=" + PASSWORD));
    }
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().put("PGPASSWORD", PASSWORD);
    ProcessResult.run(builder, Duration.ofMinutes(2), String.join(" ", command.subList(0, 1))).requireSuccess();
  }

  /** The newest PostgreSQL under /usr/lib/postgresql, where Debian installs it. */
  static Path binDir() {
    Path base = Path.of("/usr/lib/postgresql");
    try (Stream<Path> versions = Files.list(base)) {
      return versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL under " + base + " (apt-get install postgresql)"));
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL under " + base + " (apt-get install postgresql)", e);
    }
  }

  @Override
  public void close() {
    try {
      pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // Leaving a temporary folder behind is not worth failing a test run.
      }
    }
  }
}
