package dev.dala.ota.release.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password or token given on the command line as {@code env:NAME}, {@code file:PATH} or
 * {@code pass:VALUE}, the forms apksigner accepts. The first two keep secrets out of the
 * process list and shell history, which is why the docs recommend them.
 */
public final class Secret {

  private Secret() {}

  public static char[] resolve(String spec, String what) {
    if (spec == null) {
      throw ReleaseException.usage(what + " is required (env:NAME, file:PATH or pass:VALUE)");
    }
    if (spec.startsWith("pass:")) {
      return spec.substring(5).toCharArray();
    }
    if (spec.startsWith("env:")) {
      String value = System.getenv(spec.substring(4));
      if (value == null) {
        throw ReleaseException.usage(what + ": environment variable " + spec.substring(4) + " is not set");
      }
      return value.toCharArray();
    }
    if (spec.startsWith("file:")) {
      Path file = Path.of(spec.substring(5));
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // Files written by echo end in a newline that is not part of the secret.
        return text.lines().findFirst().orElse("").toCharArray();
      } catch (IOException e) {
        throw ReleaseException.badInput(what + ": cannot read " + file + ": " + e.getMessage());
      }
    }
    throw ReleaseException.usage(what + " must be env:NAME, file:PATH or pass:VALUE");
  }
}
