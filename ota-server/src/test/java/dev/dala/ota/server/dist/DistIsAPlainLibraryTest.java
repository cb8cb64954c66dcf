package dev.dala.ota.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The distribution endpoint reads as a small library on Vert.x: nothing in dev.dala.ota.server.dist
 * imports Quarkus, CDI, Mutiny, Micrometer or the rest of the server, only Vert.x core, the JDK
 * and the signer's term codec and session types.
 */
class DistIsAPlainLibraryTest {

  private static final List<String> ALLOWED = List.of("import java.", "import io.vertx.core.",
      "import dev.dala.ota.signer.etf.", "import dev.dala.ota.signer.session.", "import dev.dala.ota.server.dist.",
      "import static ");

  @Test
  void theDistPackageImportsOnlyVertxTheJdkAndTheSigner() throws IOException {
    Path dir = Path.of("src/main/java/dev/dala/ota/server/dist");
    List<String> offending = new ArrayList<>();
    int files = 0;
    try (Stream<Path> sources = Files.walk(dir)) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        for (String line : Files.readAllLines(source)) {
          if (line.startsWith("import ") && ALLOWED.stream().noneMatch(line::startsWith)) {
            offending.add(dir.relativize(source) + ": " + line);
          }
        }
      }
    }
    assertThat(files).isGreaterThan(10);
    assertThat(offending).isEmpty();
  }
}
