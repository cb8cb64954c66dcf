package dev.dala.ota.signer.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real node derives every cookie of the shared session vectors with its own crypto (X25519,
 * term_to_binary, SHA-256 and HMAC-based HKDF) and gets the Java signer's values, on OTP 25 and
 * OTP 29. This is the derivation the agent implements.
 */
class SessionCookieRealNodeTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void theNodeDerivesTheSameCookiesAsTheSigner(String name) throws Exception {
    OtpRuntime otp = name.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29();
    Path dir = otp.newWorkDir();
    try {
      Path vectors = Path.of(System.getProperty("dala.test.repo-root", ".."))
          .resolve("test-vectors/session/cookie-derivation.tsv");
      Files.copy(vectors, dir.resolve("vectors.tsv"));
      try (InputStream source = getClass().getResourceAsStream("/erlang/cookie_oracle.erl")) {
        Files.write(dir.resolve("cookie_oracle.erl"), source.readAllBytes());
      }
      otp.erlc(dir, "cookie_oracle.erl");
      String out = otp.run(dir, Duration.ofMinutes(1), "erl", "-noshell", "-pa", ".", "-run", "cookie_oracle", "main",
          "vectors.tsv").requireSuccess().stdout();

      Map<String, String> expected = new LinkedHashMap<>();
      for (String line : Files.readAllLines(vectors)) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] cols = line.split("\t");
          expected.put(cols[0], cols[12]);
        }
      }
      Map<String, String> actual = new LinkedHashMap<>();
      out.lines().filter(l -> l.contains("\t")).forEach(l -> actual.put(l.split("\t")[0], l.split("\t")[1]));
      assertThat(expected).containsValue("rejected").hasSizeGreaterThanOrEqualTo(5);
      assertThat(actual).isEqualTo(expected);
    } finally {
      OtpRuntime.deleteTree(dir);
    }
  }
}
