package dev.dala.ota.signer.beam;

import dev.dala.ota.testing.otp.CompiledBeams;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lowest OTP release the reader reports is checked against real loaders: what it says OTP
 * 25 can load, OTP 25 loads; what it says needs 28 or later, OTP 25 refuses.
 */
class MinOtpReleaseRealNodeTest {

  @Test
  void modulesCompiledOnOtp25AreLoadableByOtp25And29() throws Exception {
    OtpRuntime host = OtpRuntime.host();
    OtpRuntime otp29 = OtpRuntime.otp29();
    try (CompiledBeams beams = CompiledBeams.compile(host)) {
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        BeamFile beam = new BeamReader().read(Files.readAllBytes(file.getValue()), file.getKey());
        assertThat(beam.minOtpRelease()).as(file.getKey()).isBetween(24, 25);
      }
      assertLoads(otp29, beams, true);
    }
  }

  @Test
  void modulesCompiledOnOtp29NeedOtp28OrLaterAndOtp25RefusesThem() throws Exception {
    OtpRuntime host = OtpRuntime.host();
    OtpRuntime otp29 = OtpRuntime.otp29();
    try (CompiledBeams beams = CompiledBeams.compile(otp29)) {
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        BeamFile beam = new BeamReader().read(Files.readAllBytes(file.getValue()), file.getKey());
        assertThat(beam.minOtpRelease()).as(file.getKey()).isGreaterThanOrEqualTo(28);
        assertThat(beam.compactAtoms()).as(file.getKey()).isTrue();
      }
      assertLoads(host, beams, false);
    }
  }

  /** Copies the files into {@code runtime}'s own work folder and has it load them. */
  private static void assertLoads(OtpRuntime runtime, CompiledBeams beams, boolean expectLoaded) throws Exception {
    try (CompiledBeams other = CompiledBeams.compile(runtime)) {
      Path stripped = Files.createDirectories(other.dir().resolve("stripped"));
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        if (!file.getKey().equals("needs_nif.beam")) {
          Files.copy(file.getValue(), stripped.resolve(file.getKey()));
        }
      }
      for (Map.Entry<String, String[]> result : other.loadStripped().entrySet()) {
        if (expectLoaded) {
          assertThat(result.getValue()[0]).as(result.getKey()).isEqualTo("ok");
        } else {
          assertThat(result.getValue()[0]).as(result.getKey()).isNotEqualTo("ok");
        }
      }
    }
  }
}
