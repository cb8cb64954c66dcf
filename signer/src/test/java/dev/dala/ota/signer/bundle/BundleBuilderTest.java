package dev.dala.ota.signer.bundle;

import dev.dala.ota.testing.otp.CompiledBeams;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BuildProblem.Code;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleBuilderTest {

  private static CompiledBeams beams;
  private final BundleBuilder builder = new BundleBuilder(new BeamReader(), ModulePolicy.standard());

  @BeforeAll
  static void compile() {
    beams = CompiledBeams.compile(OtpRuntime.host());
  }

  @AfterAll
  static void clean() {
    beams.close();
  }

  @Test
  void buildsADraftWhoseManifestListsEveryStrippedModule() throws Exception {
    BundleBuilder.Result result = builder.build(BundleSpec.builder().app("demo").label("v1").ebinDir(beams.dir()).build());
    assertThat(result.problems()).isEmpty();
    assertThat(result.manifest().modules()).extracting(ManifestModule::name).containsExactly(
        "Elixir.Greeter", "Elixir.String.Chars.Greeter", "funs_and_literals", "needs_nif", "plain_module", "unicode_atoms");
    for (ManifestModule m : result.manifest().modules()) {
      BundleModule module = result.bundle().module(m.name());
      assertThat(module.bytes().length).isEqualTo(m.size());
      assertThat(module.sha256()).isEqualTo(m.sha256());
      // Stripping leaves the md5 the BEAM reports unchanged.
      assertThat(m.beamMd5Hex()).isEqualTo(beams.beamLibMd5().get(m.name() + ".beam"));
      assertThat(module.bytes().length).isLessThan((int) Files.size(beams.files().get(m.name() + ".beam")));
    }
    BundleFile reread = BundleFile.read(result.bundle().toBytes(), BundleLimits.DEFAULT);
    assertThat(reread).isEqualTo(result.bundle());
  }

  @Test
  void reportsEveryBadFileAtOnceAndBuildsNothing(@TempDir Path dir) throws Exception {
    Path ebin = Files.createDirectories(dir.resolve("ebin"));
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.copy(beams.files().get("plain_module.beam"), ebin.resolve("plain_module.beam"));
    Files.copy(beams.files().get("plain_module.beam"), other.resolve("plain_module.beam"));
    Files.writeString(ebin.resolve("broken.beam"), "not a beam");
    Files.copy(beams.files().get("plain_module.beam"), ebin.resolve("renamed.beam"));
    // A module named like OTP's own, compiled for real.
    Files.writeString(dir.resolve("lists.erl"), "-module(lists).\n-export([x/0]).\nx() -> 1.\n");
    OtpRuntime.host().run(dir, Duration.ofMinutes(1), "erlc", "-o", "ebin", "lists.erl").requireSuccess();
    Files.writeString(dir.resolve("dala_ota_agent.erl"), "-module(dala_ota_agent).\n");
    OtpRuntime.host().run(dir, Duration.ofMinutes(1), "erlc", "-o", "ebin", "dala_ota_agent.erl").requireSuccess();

    BundleBuilder.Result result = builder.build(BundleSpec.builder().app("demo").label("v1").ebinDir(ebin).ebinDir(other)
        .ebinDir(dir.resolve("missing")).build());
    assertThat(result.isBuilt()).isFalse();
    assertThat(result.problems()).extracting(BuildProblem::code).containsExactlyInAnyOrder(
        Code.INVALID_BEAM, Code.INVALID_BEAM, Code.RESERVED_MODULE, Code.RESERVED_MODULE, Code.DUPLICATE_MODULE,
        Code.UNREADABLE);
    assertThat(result.problems().toString()).contains("module_name_mismatch".toUpperCase(), "bad_magic".toUpperCase(),
        "lists ships with OTP or Elixir", "dala_ota_agent belongs to the update agent");
  }

  @Test
  void anEmptyDirectoryIsAProblem(@TempDir Path dir) {
    BundleBuilder.Result result = builder.build(BundleSpec.builder().app("demo").label("v1").ebinDir(dir).build());
    assertThat(result.problems()).extracting(BuildProblem::code).containsExactly(Code.NO_MODULES);
  }

  @Test
  void aDraftIsUnsigned() {
    BundleBuilder.Result result = builder.build(BundleSpec.builder().app("demo").label("v1").ebinDir(beams.dir()).build());
    var verifier = new BundleVerifier(new dev.dala.ota.signer.manifest.ManifestVerifier(
        new dev.dala.ota.signer.trust.TrustVerifier(dev.dala.ota.signer.trust.TrustAnchors.of(
            dev.dala.ota.signer.keys.SigningKey.generate().verifyingKey()))));
    assertThat(verifier.verify(result.bundle(), DeviceState.anyDevice(0, java.time.Instant.now()), null, false).codes())
        .containsExactly("unsigned");
  }
}
