package dev.dala.ota.signer.etf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec against real nodes: OTP 25 on the host and OTP 29 from the sid root. Java encodes
 * a corpus, the node decodes and re-encodes each term deterministically, and the bytes must be
 * identical; terms the node makes itself must survive a Java decode and encode unchanged.
 */
class EtfRealNodeRoundTripTest {

  static Stream<Arguments> runtimes() {
    return Stream.of(Arguments.of("host"), Arguments.of("otp29"));
  }

  private static OtpRuntime runtime(String name) {
    return name.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void javaEncodingsAreByteIdenticalToTheNodesDeterministicEncoding(String name) throws Exception {
    OtpRuntime otp = runtime(name);
    Path dir = otp.newWorkDir();
    try {
      List<ErlTerm> corpus = new ArrayList<>(TermCorpus.edgeCases());
      corpus.addAll(new TermCorpus(20261121L).random(3000));
      List<byte[]> encoded = corpus.stream().map(EtfEncoder::encode).toList();
      runOracle(otp, dir, encoded);
      String release = Files.readString(dir.resolve("release.txt"));
      List<byte[]> reencoded = records(dir.resolve("reencoded.bin"));
      assertThat(reencoded).hasSize(corpus.size());
      for (int i = 0; i < corpus.size(); i++) {
        ErlTerm term = corpus.get(i);
        if (containsPort(term) && release.equals("25")) {
          // OTP 25 writes ports as NEW_PORT_EXT where OTP 26+ and we write V4_PORT_EXT; both
          // decode to the same port, so compare the terms instead of the bytes.
          assertThat(EtfDecoder.decode(reencoded.get(i))).as("term %d", i).isEqualTo(term);
        } else {
          assertThat(hex(reencoded.get(i))).as("term %d: %s", i, term).isEqualTo(hex(encoded.get(i)));
        }
      }
    } finally {
      OtpRuntime.deleteTree(dir);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void termsMadeByALiveNodeDecodeAndReencodeUnchanged(String name) throws Exception {
    OtpRuntime otp = runtime(name);
    Path dir = otp.newWorkDir();
    try {
      runOracle(otp, dir, List.of());
      String release = Files.readString(dir.resolve("release.txt"));
      List<byte[]> nodeTerms = records(dir.resolve("node.bin"));
      assertThat(nodeTerms).hasSizeGreaterThan(25);
      boolean sawPid = false;
      boolean sawRef = false;
      boolean sawPort = false;
      for (byte[] bytes : nodeTerms) {
        ErlTerm term = EtfDecoder.decode(bytes);
        sawPid |= term instanceof ErlPid;
        sawRef |= term instanceof ErlRef;
        sawPort |= term instanceof ErlPort;
        if (release.equals("25") && containsPort(term)) {
          // See above: OTP 25's NEW_PORT_EXT and our V4_PORT_EXT name the same port.
          assertThat(EtfDecoder.decode(EtfEncoder.encode(term))).isEqualTo(term);
        } else {
          assertThat(hex(EtfEncoder.encode(term))).as("%s", term).isEqualTo(hex(bytes));
        }
      }
      assertThat(sawPid).isTrue();
      assertThat(sawRef).isTrue();
      assertThat(sawPort).isTrue();
    } finally {
      OtpRuntime.deleteTree(dir);
    }
  }

  static boolean containsPort(ErlTerm term) {
    return switch (term) {
      case ErlPort p -> true;
      case ErlList l -> l.elements().stream().anyMatch(EtfRealNodeRoundTripTest::containsPort)
          || (l.tail() != null && containsPort(l.tail()));
      case ErlTuple t -> t.elements().stream().anyMatch(EtfRealNodeRoundTripTest::containsPort);
      case ErlMap m -> m.entries().entrySet().stream().anyMatch(e -> containsPort(e.getKey()) || containsPort(e.getValue()));
      default -> false;
    };
  }

  private static void runOracle(OtpRuntime otp, Path dir, List<byte[]> encoded) throws IOException {
    try (InputStream source = EtfRealNodeRoundTripTest.class.getResourceAsStream("/erlang/etf_oracle.erl")) {
      Files.write(dir.resolve("etf_oracle.erl"), source.readAllBytes());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    for (byte[] b : encoded) {
      data.writeInt(b.length);
      data.write(b);
    }
    Files.write(dir.resolve("java.bin"), out.toByteArray());
    otp.erlc(dir, "etf_oracle.erl");
    otp.eval(dir, Duration.ofMinutes(3), "etf_oracle:main().").requireSuccess();
  }

  private static List<byte[]> records(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
    List<byte[]> records = new ArrayList<>();
    while (buffer.hasRemaining()) {
      byte[] b = new byte[buffer.getInt()];
      buffer.get(b);
      records.add(b);
    }
    return records;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
