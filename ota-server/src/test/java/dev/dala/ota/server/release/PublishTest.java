package dev.dala.ota.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.common.ReactiveBridge;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.OtaStack;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.bundle.BundleVerifier;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustVerifier;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PublishTest extends ServerTest {

  @Test
  void publishesASignedReleaseThatVerifiesAgainstTheRoot() throws Exception {
    String app = createApp();
    String base = registerBase(app, "android", "25", List.of());
    Path ebin = Modules.compile(Map.of("greeter", Modules.versioned("greeter", 1), "worker", Modules.versioned("worker", 1)));
    JsonPath release = publish(app, Modules.draft(app, "v1", ebin), 201);
    assertThat(release.getLong("sequence")).isEqualTo(1);
    assertThat(release.getList("modules.name")).containsExactly("greeter", "worker");
    assertThat(release.getList("bases")).containsExactly(base);

    var root = PemKeys.readVerifyingKey(Files.readString(OtaStack.keysDir().resolve("root-1.pub.pem")));
    ReleaseEntity stored = ReactiveBridge.await(() -> io.quarkus.hibernate.reactive.panache.Panache.withSession(() ->
        ReleaseEntity.<ReleaseEntity>find("id", java.util.UUID.fromString(release.getString("id"))).firstResult()));
    byte[] bundle = Files.readAllBytes(objectPath(stored.bundleKey));
    var verdict = new BundleVerifier(new ManifestVerifier(new TrustVerifier(TrustAnchors.of(root))))
        .verify(BundleFile.read(bundle, BundleLimits.DEFAULT), DeviceState.anyDevice(0, Instant.now()), null, false);
    assertThat(verdict.problems()).isEmpty();
    assertThat(verdict.manifest().sequence()).isEqualTo(1);
    assertThat(verdict.manifest().bases()).extracting(b -> b.fingerprint()).containsExactly(base);
  }

  @Test
  void publishingTheSameContentTwiceReturnsTheFirstRelease() {
    String app = createApp();
    registerBase(app, "ios", "25", List.of());
    byte[] bundle = Modules.draft(app, "v1", Modules.compile(Map.of("same", Modules.versioned("same", 1))));
    String first = publish(app, bundle, 201).getString("id");
    JsonPath again = publish(app, bundle, 200);
    assertThat(again.getString("id")).isEqualTo(first);
    assertThat(again.getLong("sequence")).isEqualTo(1);
  }

  @Test
  void concurrentPublishesGetDistinctIncreasingSequences() throws Exception {
    String app = createApp();
    registerBase(app, "ios", "25", List.of());
    List<byte[]> bundles = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bundles.add(Modules.draft(app, "v" + i, Modules.compile(Map.of("m", Modules.versioned("m", i)))));
    }
    var pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Long>> results = pool.invokeAll(bundles.stream()
          .map(b -> (Callable<Long>) () -> publish(app, b, 201).getLong("sequence")).toList());
      List<Long> sequences = new java.util.ArrayList<>();
      for (Future<Long> f : results) {
        sequences.add(f.get());
      }
      assertThat(sequences).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= 6);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void twoReleasesShareTheStorageOfAModuleTheyBothContain() throws Exception {
    String app = createApp();
    registerBase(app, "ios", "25", List.of());
    Path v1 = Modules.compile(Map.of("shared", Modules.versioned("shared", 1), "changes", Modules.versioned("changes", 1)));
    Path v2 = Modules.compile(Map.of("shared", Modules.versioned("shared", 1), "changes", Modules.versioned("changes", 2)));
    JsonPath r1 = publish(app, Modules.draft(app, "v1", v1), 201);
    JsonPath r2 = publish(app, Modules.draft(app, "v2", v2), 201);
    String shared = r1.getString("modules.find { it.name == 'shared' }.sha256");
    assertThat(r2.getString("modules.find { it.name == 'shared' }.sha256")).isEqualTo(shared);
    assertThat(Files.exists(objectPath("modules/" + shared))).isTrue();
    assertThat(r2.getString("modules.find { it.name == 'changes' }.sha256"))
        .isNotEqualTo(r1.getString("modules.find { it.name == 'changes' }.sha256"));
  }

  static Path objectPath(String key) {
    return OtaStack.objectsDir().resolve("dala-ota").resolve(key);
  }
}
