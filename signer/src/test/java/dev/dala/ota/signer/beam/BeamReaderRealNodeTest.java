package dev.dala.ota.signer.beam;

import dev.dala.ota.testing.otp.CompiledBeams;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reader against erlc's and elixirc's own output and beam_lib's own answers, on OTP 25 and 29. */
class BeamReaderRealNodeTest {

  static Stream<Arguments> runtimes() {
    return Stream.of(Arguments.of("host"), Arguments.of("otp29"));
  }

  static OtpRuntime runtime(String name) {
    return name.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void reportsTheModuleAndTheMd5ThatBeamLibComputes(String name) throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(runtime(name))) {
      Map<String, String> expected = beams.beamLibMd5();
      assertThat(expected).containsKeys("plain_module.beam", "funs_and_literals.beam", "needs_nif.beam",
          "unicode_atoms.beam", "Elixir.Greeter.beam", "Elixir.String.Chars.Greeter.beam");
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        BeamFile beam = new BeamReader().read(Files.readAllBytes(file.getValue()), file.getKey());
        assertThat(beam.module() + ".beam").isEqualTo(file.getKey());
        assertThat(beam.md5Hex()).as(file.getKey()).isEqualTo(expected.get(file.getKey()));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void flagsModulesThatLoadANif(String name) throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(runtime(name))) {
      BeamReader reader = new BeamReader();
      BeamFile nif = reader.read(Files.readAllBytes(beams.files().get("needs_nif.beam")), "needs_nif.beam");
      BeamFile plain = reader.read(Files.readAllBytes(beams.files().get("plain_module.beam")), null);
      assertThat(nif.needsNif()).isTrue();
      assertThat(nif.nifLoads()).extracting(Object::toString).containsExactly("erlang:load_nif/2");
      assertThat(plain.needsNif()).isFalse();
      assertThat(plain.debugInfoBackend()).isEqualTo("erl_abstract_code");
      assertThat(plain.lineInstructions()).isPositive();
      BeamFile greeter = reader.read(Files.readAllBytes(beams.files().get("Elixir.Greeter.beam")), null);
      assertThat(greeter.debugInfoBackend()).isEqualTo("elixir_erl");
      assertThat(greeter.docsFormat()).isEqualTo("docs_v1");
      assertThat(plain.exports()).extracting(Object::toString)
          .contains("hello/0", "add/2", "module_info/0", "module_info/1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void strippedModulesLoadInARealNodeWithUnchangedMd5(String name) throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(runtime(name))) {
      Map<String, String> md5 = beams.beamLibMd5();
      Path stripped = Files.createDirectories(beams.dir().resolve("stripped"));
      for (Map.Entry<String, Path> file : beams.files().entrySet()) {
        BeamFile beam = new BeamReader().read(Files.readAllBytes(file.getValue()), file.getKey());
        byte[] bytes = BeamStripper.strip(beam);
        BeamFile reread = new BeamReader().read(bytes, file.getKey());
        assertThat(reread.hasChunk("Dbgi")).isFalse();
        assertThat(reread.hasChunk("Docs")).isFalse();
        assertThat(bytes.length).isLessThan(beam.bytes().length);
        Files.write(stripped.resolve(file.getKey()), bytes);
      }
      Map<String, String[]> loaded = beams.loadStripped();
      assertThat(loaded).hasSize(beams.files().size());
      for (Map.Entry<String, String[]> entry : loaded.entrySet()) {
        if (entry.getKey().equals("needs_nif.beam")) {
          // Its on_load looks for a NIF library that does not exist here.
          assertThat(entry.getValue()[0]).isEqualTo("on_load_failure");
        } else {
          assertThat(entry.getValue()[0]).as(entry.getKey()).isEqualTo("ok");
          assertThat(entry.getValue()[1]).as(entry.getKey()).isEqualTo(md5.get(entry.getKey()));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void readsTheGzipCompressedFilesThatBeamLibStripWrites(String name) throws Exception {
    try (CompiledBeams beams = CompiledBeams.compile(runtime(name))) {
      Map<String, String> md5 = beams.beamLibMd5();
      Path gz = beams.beamLibStrip();
      for (String file : beams.files().keySet()) {
        BeamFile beam = new BeamReader().read(Files.readAllBytes(gz.resolve(file)), file);
        assertThat(beam.gzipped()).isTrue();
        assertThat(beam.md5Hex()).as(file).isEqualTo(md5.get(file));
      }
    }
  }
}
