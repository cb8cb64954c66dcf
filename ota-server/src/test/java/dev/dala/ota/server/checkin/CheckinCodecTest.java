package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The check-in reader against what real nodes write, and against broken input. */
class CheckinCodecTest {

  private static byte[] fromNode(String options) throws Exception {
    OtpRuntime host = OtpRuntime.host();
    Path dir = host.newWorkDir();
    try {
      host.eval(dir, Duration.ofMinutes(1), "ok = file:write_file(\"c.etf\", term_to_binary(#{"
          + "channel_key => <<\"ck_0123456789abcdefghij\">>, install_id => <<\"device-0001\">>,"
          + " platform => <<\"android\">>, base_fingerprint => <<\"abc123\">>, otp_release => <<\"25\">>,"
          + " current_sequence => 4294967297, agent_version => <<\"0.1.0\">>, session_key => <<7:256>>,"
          + " added_later => some_atom}" + options + ")), halt().").requireSuccess();
      return Files.readAllBytes(dir.resolve("c.etf"));
    } finally {
      OtpRuntime.deleteTree(dir);
    }
  }

  @Test
  void readsCheckinsAsOtp25WritesThemByDefaultAndWithUtf8Atoms() throws Exception {
    for (String options : new String[] {"", ", [{minor_version, 2}]"}) {
      CheckinRequest r = CheckinCodec.fromEtf(fromNode(options)).validated();
      assertThat(r.channelKey()).isEqualTo("ck_0123456789abcdefghij");
      assertThat(r.installId()).isEqualTo("device-0001");
      assertThat(r.currentSequence()).isEqualTo(4_294_967_297L);
      assertThat(r.sessionKey()).hasSize(32);
    }
  }

  @Test
  void refusesWhatIsNotAFlatCheckinMapWithoutThrowingAnythingElse() throws Exception {
    byte[] good = fromNode("");
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> CheckinCodec.fromEtf(cut)).isInstanceOf(OtaException.class);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> CheckinCodec.fromEtf(longer)).isInstanceOf(OtaException.class);
    byte[] list = {(byte) 131, 108, 0, 0, 0, 1, 106, 106};
    assertThatThrownBy(() -> CheckinCodec.fromEtf(list)).hasMessageContaining("map");
    byte[] huge = {(byte) 131, 116, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> CheckinCodec.fromEtf(huge)).hasMessageContaining("fields");
  }
}
