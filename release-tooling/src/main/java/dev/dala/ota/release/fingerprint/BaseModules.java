package dev.dala.ota.release.fingerprint;

import dev.dala.ota.signer.beam.BeamFile;
import dev.dala.ota.signer.beam.BeamFormatException;
import dev.dala.ota.signer.beam.BeamReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every module a base ships, read through signer's BEAM inspector: the OTP tree's
 * {@code lib/APP/ebin} folders and the app's own ebin folders. Collects every unreadable file
 * and every module found twice with different code, instead of stopping at the first.
 */
final class BaseModules {

  /** A module, its beam_lib MD5 and whether it loads a NIF. */
  record Module(String name, String md5, boolean needsNif, Path file) {}

  private final BeamReader reader;
  private final int maxModules;
  private final Map<String, Module> modules = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();

  BaseModules(BeamReader reader, int maxModules) {
    this.reader = reader;
    this.maxModules = maxModules;
  }

  /** Adds the modules of every {@code lib/*}/ebin under an OTP root, except excluded applications. */
  void addOtpTree(Path root, java.util.Set<String> excludedApps) {
    Path lib = root.resolve("lib");
    if (!Files.isDirectory(lib)) {
      problems.add("no lib folder in " + root);
      return;
    }
    try (Stream<Path> apps = Files.list(lib)) {
      for (Path app : apps.sorted().toList()) {
        Path ebin = app.resolve("ebin");
        String appName = dev.dala.ota.release.otp.OtpPruning.appName(app.getFileName().toString());
        if (Files.isDirectory(ebin) && !excludedApps.contains(appName)) {
          addEbin(ebin);
        }
      }
    } catch (IOException e) {
      problems.add("cannot list " + lib + ": " + e.getMessage());
    }
  }

  /** Adds every {@code .beam} directly in {@code ebin}. */
  void addEbin(Path ebin) {
    if (!Files.isDirectory(ebin)) {
      problems.add(ebin + " is not a folder");
      return;
    }
    try (Stream<Path> files = Files.list(ebin)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".beam")).sorted().toList()) {
        addBeam(file);
      }
    } catch (IOException e) {
      problems.add("cannot list " + ebin + ": " + e.getMessage());
    }
  }

  private void addBeam(Path file) {
    if (modules.size() >= maxModules) {
      if (problems.stream().noneMatch(p -> p.startsWith("more than"))) {
        problems.add("more than " + maxModules + " modules; the server accepts at most that many");
      }
      return;
    }
    BeamFile beam;
    try {
      beam = reader.read(Files.readAllBytes(file), file.getFileName().toString());
    } catch (BeamFormatException e) {
      problems.add(file + ": not a loadable .beam: " + e.getMessage());
      return;
    } catch (IOException e) {
      problems.add(file + ": " + e.getMessage());
      return;
    }
    Module module = new Module(beam.module(), beam.md5Hex(), beam.needsNif(), file);
    Module earlier = modules.putIfAbsent(module.name(), module);
    if (earlier != null && !earlier.md5().equals(module.md5())) {
      problems.add("module " + module.name() + " is in both " + earlier.file() + " and " + file
          + " with different code; a base can hold only one");
    }
  }

  Map<String, String> md5s() {
    Map<String, String> md5s = new TreeMap<>();
    modules.forEach((name, m) -> md5s.put(name, m.md5()));
    return md5s;
  }

  /** Modules that call {@code erlang:load_nif/2}. */
  TreeSet<String> nifModules() {
    TreeSet<String> names = new TreeSet<>();
    modules.values().stream().filter(Module::needsNif).forEach(m -> names.add(m.name()));
    return names;
  }

  boolean contains(String module) {
    return modules.containsKey(module);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
