package dev.dala.ota.server.support;

import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BundleBuilder;
import dev.dala.ota.signer.bundle.BundleSpec;
import dev.dala.ota.signer.bundle.ModulePolicy;
import dev.dala.ota.signer.manifest.ApplyMode;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Real modules, compiled by the host's erlc at test time, and draft bundles made of them. */
public final class Modules {

  private Modules() {}

  /** Compiles {@code sources} (module name to Erlang source) into a fresh ebin folder. */
  public static Path compile(Map<String, String> sources) {
    OtpRuntime host = OtpRuntime.host();
    Path dir = host.newWorkDir();
    try {
      Files.createDirectories(dir.resolve("ebin"));
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Files.writeString(dir.resolve(e.getKey() + ".erl"), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> argv = new java.util.ArrayList<>(List.of("erlc", "-o", "ebin"));
    sources.keySet().forEach(m -> argv.add(m + ".erl"));
    host.run(dir, Duration.ofMinutes(2), argv.toArray(String[]::new)).requireSuccess();
    return dir.resolve("ebin");
  }

  /** A module {@code name} whose {@code version/0} returns {@code version}. */
  public static String versioned(String name, int version) {
    return "-module(" + name + ").\n-export([version/0]).\nversion() -> " + version + ".\n";
  }

  /** A module that loads a NIF when it is loaded. */
  public static String withNif(String name) {
    return "-module(" + name + ").\n-export([f/0]).\n-on_load(init/0).\ninit() -> erlang:load_nif(\"./" + name
        + "\", 0).\nf() -> erlang:nif_error(not_loaded).\n";
  }

  /**
   * A draft bundle holding exactly {@code modules} (name to bytes), valid or not: the way to
   * hand the server what a broken or hostile build would upload.
   */
  public static byte[] rawDraft(String app, String label, Map<String, byte[]> modules) {
    java.util.List<dev.dala.ota.signer.manifest.ManifestModule> entries = new java.util.ArrayList<>();
    java.util.List<dev.dala.ota.signer.bundle.BundleModule> files = new java.util.ArrayList<>();
    modules.forEach((name, bytes) -> {
      var module = new dev.dala.ota.signer.bundle.BundleModule(name, bytes);
      files.add(module);
      entries.add(new dev.dala.ota.signer.manifest.ManifestModule(name, module.sha256(), bytes.length, new byte[16]));
    });
    java.time.Instant now = java.time.Instant.now();
    var manifest = dev.dala.ota.signer.manifest.Manifest.builder().app(app).label(label).modules(entries)
        .issuedAt(now).expiresAt(now.plusSeconds(86_400)).build();
    var envelope = dev.dala.ota.signer.trust.SignedDocument.unsigned(dev.dala.ota.signer.trust.DocumentKind.MANIFEST,
        dev.dala.ota.signer.manifest.ManifestCodec.encode(manifest));
    return dev.dala.ota.signer.bundle.BundleFile.of(envelope, files).toBytes();
  }

  public static byte[] beam(Path ebin, String module) {
    try {
      return Files.readAllBytes(ebin.resolve(module + ".beam"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] draft(String app, String label, Path... ebinDirs) {
    return draft(app, label, ApplyMode.HOT, ebinDirs);
  }

  public static byte[] draft(String app, String label, ApplyMode mode, Path... ebinDirs) {
    BundleBuilder.Result result = new BundleBuilder(new BeamReader(), ModulePolicy.standard())
        .build(BundleSpec.builder().app(app).label(label).applyMode(mode).ebinDirs(List.of(ebinDirs))
            .validity(Duration.ofDays(30)).build());
    if (!result.isBuilt()) {
      throw new IllegalStateException("fixture bundle did not build: " + result.problems());
    }
    return result.bundle().toBytes();
  }
}
