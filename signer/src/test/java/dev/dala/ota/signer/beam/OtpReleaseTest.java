package dev.dala.ota.signer.beam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtpReleaseTest {

  @Test
  void mapsOpcodeCeilingsToTheOldestReleaseThatLoadsThem() {
    assertThat(OtpRelease.lowestLoading(150)).isEqualTo(24);
    assertThat(OtpRelease.lowestLoading(176)).isEqualTo(24);
    assertThat(OtpRelease.lowestLoading(177)).isEqualTo(25);
    assertThat(OtpRelease.lowestLoading(180)).isEqualTo(25);
    assertThat(OtpRelease.lowestLoading(182)).isEqualTo(26);
    assertThat(OtpRelease.lowestLoading(183)).isEqualTo(27);
    assertThat(OtpRelease.lowestLoading(184)).isEqualTo(28);
    assertThat(OtpRelease.lowestLoading(191)).isEqualTo(29);
    assertThat(OtpRelease.lowestLoading(192)).isEqualTo(-1);
  }

  @Test
  void formatChangesRaiseTheRelease() {
    assertThat(BeamReader.minOtpRelease(170, true, false, Map.of())).isEqualTo(28);
    assertThat(BeamReader.minOtpRelease(170, false, true, Map.of())).isEqualTo(28);
    assertThat(BeamReader.minOtpRelease(170, false, false, Map.of("Recs", new BeamChunk("Recs", 0, 0)))).isEqualTo(29);
  }

  @Test
  void theTableMatchesTheHighestOpcodeOfEachRealRuntime() {
    // beam_opcodes:opname/1 of each installed compiler names its newest instruction.
    for (OtpRuntime runtime : OtpRuntime.all()) {
      Path dir = runtime.newWorkDir();
      try {
        String out = runtime.eval(dir, Duration.ofMinutes(1),
            "N = lists:last([I || I <- lists:seq(1, 400), try beam_opcodes:opname(I) of _ -> true catch _:_ -> false end]),"
                + " io:format(\"~s ~b\", [erlang:system_info(otp_release), N]), halt().")
            .requireSuccess().stdout().trim();
        String[] parts = out.split(" ");
        assertThat(Integer.parseInt(parts[1])).as("OTP " + parts[0]).isEqualTo(OtpRelease.maxOpcode(Integer.parseInt(parts[0])));
      } finally {
        OtpRuntime.deleteTree(dir);
      }
    }
  }
}
