package dev.dala.ota.signer.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.bundle.BundleVerification;
import dev.dala.ota.signer.bundle.BundleVerifier;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.VerifyingKey;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestVerification;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustVerifier;
import dev.dala.ota.signer.verify.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;

/**
 * The golden files in test-vectors/ are exactly what {@link TestVectorSet} builds, and each
 * vector gets the verdict its index row names. Regenerate after an intended format change with
 * {@code ./mvnw -pl signer test -Dtest=TestVectorsTest -Ddala.test.write-vectors=true}.
 */
class TestVectorsTest {

  static Path vectorsDir() {
    return Path.of(System.getProperty("dala.test.repo-root", "..")).resolve("test-vectors");
  }

  @Test
  void goldenFilesMatchTheGeneratorByteForByte() throws Exception {
    Map<String, byte[]> expected = TestVectorSet.build();
    Path dir = vectorsDir();
    if (Boolean.getBoolean("dala.test.write-vectors")) {
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        Files.createDirectories(dir.resolve(e.getKey()).getParent());
        Files.write(dir.resolve(e.getKey()), e.getValue());
      }
    }
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), e.getValue())) {
        stale.add(e.getKey());
      }
    }
    assertThat(stale).as("vectors that differ from the generator (see this class's doc to regenerate)").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyVectorGetsItsExpectedVerdict() throws Exception {
    Path dir = vectorsDir();
    List<String> rows = Files.readAllLines(dir.resolve("vectors.tsv"), StandardCharsets.UTF_8).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertThat(rows).hasSizeGreaterThan(10);
    return rows.stream().map(row -> DynamicTest.dynamicTest(row.split("\t")[0], () -> check(dir, row.split("\t"))));
  }

  private static void check(Path dir, String[] cols) throws Exception {
    VerifyingKey root = PemKeys.readVerifyingKey(Files.readString(dir.resolve(cols[2])));
    SignedDocument revocations = cols[3].equals("-") ? null : SignedDocument.decode(Files.readAllBytes(dir.resolve(cols[3])));
    DeviceState device = new DeviceState(null, Long.parseLong(cols[5]), CompatibleBase.parse(cols[6]), "0.1.0",
        Instant.parse(cols[4]), DeviceState.DEFAULT_CLOCK_SKEW);
    ManifestVerifier verifier = new ManifestVerifier(new TrustVerifier(TrustAnchors.of(root)));
    byte[] bytes = Files.readAllBytes(dir.resolve(cols[1]));
    List<String> codes;
    if (cols[1].endsWith(".bundle")) {
      BundleVerification result = new BundleVerifier(verifier)
          .verify(BundleFile.read(bytes, BundleLimits.DEFAULT), device, revocations, false);
      codes = result.codes();
    } else {
      ManifestVerification result = verifier.verify(bytes, device, revocations);
      codes = result.problems().stream().map(Problem::issue).map(i -> i.code()).toList();
    }
    assertThat(codes.isEmpty() ? "ok" : String.join(",", codes)).isEqualTo(cols[7]);
  }
}
