package dev.dala.ota.server.session;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many real modules of realistic size, compiled by a runtime's own erlc: each has a few dozen
 * functions with branches and string literals, generated from a fixed seed so every run builds
 * the same sources.
 */
final class GeneratedModules {

  private GeneratedModules() {}

  /** Compiles {@code count} modules named {@code prefix_N} into a fresh ebin folder. */
  static Path compile(OtpRuntime runtime, String prefix, int count, int functionsPerModule) {
    Path dir = runtime.newWorkDir();
    Random random = new Random(20261121L);
    List<String> argv = new ArrayList<>(List.of("erlc", "-o", "ebin"));
    try {
      Files.createDirectories(dir.resolve("ebin"));
      for (int m = 0; m < count; m++) {
        String name = prefix + "_" + m;
        Files.writeString(dir.resolve(name + ".erl"), source(name, functionsPerModule, random));
        argv.add(name + ".erl");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runtime.run(dir, Duration.ofMinutes(5), argv.toArray(String[]::new)).requireSuccess();
    return dir.resolve("ebin");
  }

  private static String source(String name, int functions, Random random) {
    StringBuilder s = new StringBuilder("-module(").append(name).append(").\n-export([");
    for (int f = 0; f < functions; f++) {
      s.append(f == 0 ? "" : ", ").append("f").append(f).append("/2");
    }
    s.append("]).\n");
    for (int f = 0; f < functions; f++) {
      s.append("f").append(f).append("(X, Y) when is_integer(X) ->\n")
          .append("    case X rem 4 of\n")
          .append("        0 -> {ok, X * ").append(random.nextInt(1000)).append(" + Y, \"").append(text(random, 120))
          .append("\"};\n")
          .append("        1 -> lists:map(fun(E) -> E + ").append(random.nextInt(1000)).append(" end, [X, Y]);\n")
          .append("        2 -> #{key => X, other => Y, tag => '").append(text(random, 16)).append("'};\n")
          .append("        _ -> erlang:phash2({X, Y, ").append(random.nextInt()).append("})\n")
          .append("    end;\n")
          .append("f").append(f).append("(X, Y) -> {error, {badarg, X, Y, <<\"").append(text(random, 60))
          .append("\">>}}.\n");
    }
    return s.toString();
  }

  private static String text(Random random, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
