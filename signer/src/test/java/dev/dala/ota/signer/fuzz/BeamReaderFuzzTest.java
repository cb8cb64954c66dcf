package dev.dala.ota.signer.fuzz;

import dev.dala.ota.testing.otp.CompiledBeams;
import dev.dala.ota.signer.beam.BeamFormatException;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.beam.BeamStripper;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The .beam reader (and the stripper behind it) on mutated real modules. */
class BeamReaderFuzzTest {

  @Test
  void readerOnlyFailsWithTypedErrorsAndBoundedAllocation() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    try (CompiledBeams beams = CompiledBeams.compile(OtpRuntime.host())) {
      for (Path file : beams.files().values()) {
        seeds.add(Files.readAllBytes(file));
      }
      // A few of OTP's own modules, as the host's OTP ships them.
      Path dir = beams.dir();
      String stdlib = OtpRuntime.host().eval(dir, Duration.ofMinutes(1),
          "io:format(\"~s\", [filename:dirname(code:which(lists))]), halt().").requireSuccess().stdout().trim();
      for (String module : List.of("lists", "maps", "gen_server", "binary")) {
        seeds.add(Files.readAllBytes(Path.of(stdlib, module + ".beam")));
      }
    }
    BeamReader reader = new BeamReader();
    // Reading slices the input; strings for atoms and the small tables are the only copies.
    FuzzHarness.run("beam", 11, seeds, BeamFormatException.class, 16, input -> {
      var beam = reader.read(input, null);
      BeamStripper.strip(beam);
    });
  }
}
