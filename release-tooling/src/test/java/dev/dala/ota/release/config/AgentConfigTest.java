package dev.dala.ota.release.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.keys.VerifyingKey;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static final VerifyingKey ROOT = SigningKey.generate().verifyingKey();
  private static final AgentConfig CONFIG = new AgentConfig("https://ota.example.com", "com.example.app",
      "ck_0123", "android", "25", "0123456789abcdef0123456789abcdef", List.of(ROOT));

  @Test
  void roundTrips() throws Exception {
    assertThat(AgentConfig.decode(CONFIG.encode())).isEqualTo(CONFIG);
  }

  @Test
  void aRealBeamDecodesItWithSafeBinaryToTerm() throws Exception {
    OtpRuntime host = OtpRuntime.host();
    Path work = host.newWorkDir();
    Files.write(work.resolve("config.etf"), CONFIG.encode());
    String out;
    try {
      out = host.eval(work, Duration.ofSeconds(60), """
        {ok, B} = file:read_file("config.etf"),
        %% [safe] creates no atoms: like the agent's code, this pattern names every key first.
        #{format := 1, server_url := U, app := <<"com.example.app">>, channel_key := <<"ck_0123">>,
          platform := <<"android">>, otp_release := <<"25">>, base_fingerprint := F, root_keys := [K]} =
            binary_to_term(B, [safe]),
        io:format("~s ~s ~s", [U, F, binary:encode_hex(K)]), halt().
        """).requireSuccess().stdout();
    } finally {
      OtpRuntime.deleteTree(work);
    }
    assertThat(out).isEqualTo("https://ota.example.com 0123456789abcdef0123456789abcdef "
        + HexFormat.of().withUpperCase().formatHex(ROOT.raw()));
  }

  @Test
  void refusesBytesThatAreNotAConfig() {
    assertThatThrownBy(() -> AgentConfig.decode(new byte[] {(byte) 131, 106})).isInstanceOf(
        AgentConfigException.class).hasMessageContaining("not a map");
  }

  @Test
  void listsEveryProblemOfABadConfig() {
    assertThat(CONFIG.problems()).isEmpty();
    assertThat(new AgentConfig("ftp://x", "", "", "web", "25", "nope", List.of()).problems()).hasSize(6);
  }
}
