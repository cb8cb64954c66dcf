package dev.dala.ota.cli.bundle;

import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.cli.Json;
import dev.dala.ota.signer.beam.BeamFormatException;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleFormatException;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.bundle.BundleModule;
import dev.dala.ota.signer.trust.DocumentFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota bundle inspect}: what a .beam file or a bundle holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe a .beam file (module, beam_lib MD5, exports, NIF loads, lowest OTP release) "
        + "or a bundle (its manifest and modules). It does not verify signatures.")
public final class InspectCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE")
  Path file;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    byte[] bytes = CliFiles.read(file);
    Map<String, Object> description;
    int exit = ExitCode.OK;
    if (bytes.length >= 8 && Arrays.equals(Arrays.copyOf(bytes, 8), BundleFile.MAGIC)) {
      description = bundle(bytes);
    } else {
      try {
        description = Describe.beam(file.toString(), new BeamReader().read(bytes, file.getFileName().toString()));
      } catch (BeamFormatException e) {
        description = error(e.problem().name(), e.getMessage());
      }
    }
    if (description.containsKey("error")) {
      exit = ExitCode.PROBLEMS;
    }
    var out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, description);
    } else {
      Describe.printText(out, description);
    }
    return exit;
  }

  private Map<String, Object> bundle(byte[] bytes) {
    try {
      BundleFile bundle = BundleFile.read(bytes, BundleLimits.DEFAULT);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("file", file.toString());
      d.put("type", "bundle");
      d.put("envelope", Describe.document(bundle.envelopeDocument()));
      List<Map<String, Object>> modules = new ArrayList<>();
      for (BundleModule m : bundle.modules()) {
        try {
          Map<String, Object> beam = Describe.beam(m.name(), new BeamReader().read(m.bytes(), m.name() + ".beam"));
          beam.remove("file");
          modules.add(beam);
        } catch (BeamFormatException e) {
          modules.add(Map.of("module", m.name(), "error", e.problem().name().toLowerCase(Locale.ROOT)));
        }
      }
      d.put("modules", modules);
      return d;
    } catch (BundleFormatException | DocumentFormatException e) {
      return error("MALFORMED_BUNDLE", e.getMessage());
    }
  }

  private Map<String, Object> error(String code, String detail) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("file", file.toString());
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.toLowerCase(Locale.ROOT));
    error.put("detail", detail);
    d.put("error", error);
    return d;
  }
}
