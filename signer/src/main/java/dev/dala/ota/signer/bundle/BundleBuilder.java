package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.beam.BeamFile;
import dev.dala.ota.signer.beam.BeamFormatException;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.beam.BeamStripper;
import dev.dala.ota.signer.bundle.BuildProblem.Code;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.SignedDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the {@code ebin} directories of a Mix {@code _build} into a draft bundle. Every file
 * is read as the BEAM reads it; every problem in every file is collected, so one run shows a
 * developer all that needs fixing.
 */
public final class BundleBuilder {

  /** A draft bundle, or the problems that kept one from being built. */
  public record Result(BundleFile bundle, Manifest manifest, List<BuildProblem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean isBuilt() {
      return bundle != null;
    }
  }

  private final BeamReader reader;
  private final ModulePolicy policy;

  public BundleBuilder(BeamReader reader, ModulePolicy policy) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public Result build(BundleSpec spec) {
    List<BuildProblem> problems = new ArrayList<>();
    Map<String, BundleModule> modules = new TreeMap<>();
    Map<String, Path> origins = new TreeMap<>();
    List<ManifestModule> entries = new ArrayList<>();
    for (Path dir : spec.ebinDirs()) {
      for (Path file : beamFiles(dir, problems)) {
        BeamFile beam = readBeam(file, problems);
        if (beam == null) {
          continue;
        }
        var reserved = policy.check(beam.module());
        if (reserved.isPresent()) {
          problems.add(new BuildProblem(Code.RESERVED_MODULE, file.toString(),
              beam.module() + " " + reserved.get().reason()));
          continue;
        }
        Path earlier = origins.putIfAbsent(beam.module(), file);
        if (earlier != null) {
          problems.add(new BuildProblem(Code.DUPLICATE_MODULE, file.toString(), "also in " + earlier));
          continue;
        }
        byte[] bytes = spec.strip() ? BeamStripper.strip(beam) : beam.bytes();
        BundleModule module = new BundleModule(beam.module(), bytes);
        modules.put(beam.module(), module);
        entries.add(new ManifestModule(beam.module(), module.sha256(), bytes.length, beam.md5()));
      }
    }
    if (problems.isEmpty() && modules.isEmpty()) {
      problems.add(new BuildProblem(Code.NO_MODULES, String.valueOf(spec.ebinDirs()), "no .beam files found"));
    }
    if (!problems.isEmpty()) {
      return new Result(null, null, problems);
    }
    Manifest manifest = Manifest.builder()
        .app(spec.app())
        .label(spec.label())
        .sequence(0)
        .bases(spec.bases())
        .modules(entries)
        .applyMode(spec.applyMode())
        .minAgentVersion(spec.minAgentVersion())
        .issuedAt(spec.now())
        .expiresAt(spec.now().plus(spec.validity()))
        .build();
    List<BundleModule> ordered = manifest.modules().stream().map(m -> modules.get(m.name())).toList();
    BundleFile draft = BundleFile.of(SignedDocument.unsigned(DocumentKind.MANIFEST, ManifestCodec.encode(manifest)), ordered);
    return new Result(draft, manifest, List.of());
  }

  private BeamFile readBeam(Path file, List<BuildProblem> problems) {
    try {
      return reader.read(Files.readAllBytes(file), file.getFileName().toString());
    } catch (BeamFormatException e) {
      problems.add(new BuildProblem(Code.INVALID_BEAM, file.toString(), e.getMessage()));
    } catch (IOException e) {
      problems.add(new BuildProblem(Code.UNREADABLE, file.toString(), e.getMessage()));
    }
    return null;
  }

  private static List<Path> beamFiles(Path dir, List<BuildProblem> problems) {
    if (!Files.isDirectory(dir)) {
      problems.add(new BuildProblem(Code.UNREADABLE, dir.toString(), "not a directory"));
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".beam")).sorted().toList();
    } catch (IOException e) {
      problems.add(new BuildProblem(Code.UNREADABLE, dir.toString(), e.getMessage()));
      return List.of();
    }
  }
}
