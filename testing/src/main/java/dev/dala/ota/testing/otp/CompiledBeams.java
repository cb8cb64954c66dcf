package dev.dala.ota.testing.otp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real .beam files for tests, compiled at test time by a runtime's own erlc and elixirc, and
 * what that runtime's beam_lib says about them.
 */
public final class CompiledBeams implements AutoCloseable {

  public static final List<String> ERLANG_SOURCES =
      List.of("plain_module.erl", "funs_and_literals.erl", "needs_nif.erl", "unicode_atoms.erl");

  private final OtpRuntime runtime;
  private final Path dir;

  private CompiledBeams(OtpRuntime runtime, Path dir) {
    this.runtime = runtime;
    this.dir = dir;
  }

  /** Compiles every fixture with {@code runtime}, keeping debug info so there is something to strip. */
  public static CompiledBeams compile(OtpRuntime runtime) {
    Path dir = runtime.newWorkDir();
    try {
      Files.createDirectories(dir.resolve("oracle"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String name : ERLANG_SOURCES) {
      copyResource("beam/" + name, dir.resolve(name));
    }
    copyResource("beam/greeter.ex", dir.resolve("greeter.ex"));
    copyResource("beam/beam_oracle.erl", dir.resolve("oracle/beam_oracle.erl"));
    List<String> erlc = new java.util.ArrayList<>(List.of("erlc", "+debug_info", "-o", "."));
    erlc.addAll(ERLANG_SOURCES);
    runtime.run(dir, Duration.ofMinutes(2), erlc.toArray(String[]::new)).requireSuccess();
    runtime.run(dir, Duration.ofMinutes(2), "erlc", "-o", "oracle", "oracle/beam_oracle.erl").requireSuccess();
    runtime.run(dir, Duration.ofMinutes(3), "elixirc", "-o", ".", "greeter.ex").requireSuccess();
    return new CompiledBeams(runtime, dir);
  }

  public OtpRuntime runtime() {
    return runtime;
  }

  public Path dir() {
    return dir;
  }

  /** The compiled files by name, such as {@code Elixir.Greeter.beam}. */
  public Map<String, Path> files() {
    try (Stream<Path> files = Files.list(dir)) {
      Map<String, Path> byName = new LinkedHashMap<>();
      files.filter(p -> p.getFileName().toString().endsWith(".beam")).sorted()
          .forEach(p -> byName.put(p.getFileName().toString(), p));
      return byName;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code beam_lib:md5/1} of every file, as the runtime computes it: file name to hex MD5. */
  public Map<String, String> beamLibMd5() {
    return table(oracle("md5"), 2);
  }

  /** Loads every file in {@code stripped/} into a fresh node: file to "ok" or the error. */
  public Map<String, String[]> loadStripped() {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String line : oracle("load").lines().toList()) {
      String[] cols = line.split("\t");
      out.put(Path.of(cols[0]).getFileName().toString(), new String[] {cols[1], cols[2]});
    }
    return out;
  }

  /** Has the runtime's beam_lib:strip/1 write its (gzip-compressed) output to {@code gz/}. */
  public Path beamLibStrip() {
    oracle("strip");
    return dir.resolve("gz");
  }

  private String oracle(String function) {
    return runtime.run(dir, Duration.ofMinutes(2), "erl", "-noshell", "-pa", "oracle", "-eval",
        "beam_oracle:" + function + "().").requireSuccess().stdout();
  }

  private static Map<String, String> table(String output, int column) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      String[] cols = line.split("\t");
      out.put(cols[0], cols[column]);
    }
    return out;
  }

  static void copyResource(String resource, Path target) {
    try (InputStream in = CompiledBeams.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      Files.write(target, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    OtpRuntime.deleteTree(dir);
  }
}
