package dev.dala.ota.release.fingerprint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an installed OTP tree says about itself: its OTP release ({@code releases/N/OTP_VERSION}),
 * its ERTS version (the {@code erts-X.Y.Z} folder) and, when Elixir is installed in it, Elixir's
 * version ({@code lib/elixir*}/ebin/elixir.app). Each is null when the tree does not say, and
 * {@link #problems()} explains why.
 */
public record OtpTree(Path root, String otpRelease, String ertsVersion, String elixirVersion, List<String> problems) {

  private static final Pattern RELEASE_DIR = Pattern.compile("\\d{2}");
  private static final Pattern ERTS_DIR = Pattern.compile("erts-(\\d+(?:\\.\\d+)*)");
  private static final Pattern APP_VSN = Pattern.compile("\\{\\s*vsn\\s*,\\s*\"([^\"]{1,32})\"\\s*}");
  /** An .app file is a few kilobytes; refuse to read something that is not one. */
  private static final long MAX_APP_FILE = 1 << 20;

  public OtpTree {
    problems = List.copyOf(problems);
  }

  public static OtpTree read(Path root) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      problems.add(root + " is not a folder");
      return new OtpTree(root, null, null, null, problems);
    }
    return new OtpTree(root, otpRelease(root, problems), ertsVersion(root, problems), elixirVersion(root, problems),
        problems);
  }

  private static String otpRelease(Path root, List<String> problems) {
    List<String> found = new ArrayList<>();
    Path releases = root.resolve("releases");
    if (Files.isDirectory(releases)) {
      try (Stream<Path> dirs = Files.list(releases)) {
        dirs.filter(d -> RELEASE_DIR.matcher(d.getFileName().toString()).matches())
            .filter(d -> Files.isRegularFile(d.resolve("OTP_VERSION")))
            .forEach(d -> found.add(d.getFileName().toString()));
      } catch (IOException e) {
        problems.add("cannot list " + releases + ": " + e.getMessage());
      }
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    problems.add(found.isEmpty()
        ? "no releases/N/OTP_VERSION in " + root + "; give --otp-release"
        : "several OTP releases in " + root + " (" + String.join(", ", found.stream().sorted().toList())
            + "); give --otp-release");
    return null;
  }

  private static String ertsVersion(Path root, List<String> problems) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(Files::isDirectory).forEach(d -> {
        Matcher m = ERTS_DIR.matcher(d.getFileName().toString());
        if (m.matches()) {
          found.add(m.group(1));
        }
      });
    } catch (IOException e) {
      problems.add("cannot list " + root + ": " + e.getMessage());
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    problems.add(found.isEmpty()
        ? "no erts-X.Y.Z folder in " + root + "; give --erts-version"
        : "several ERTS versions in " + root + "; give --erts-version");
    return null;
  }

  private static String elixirVersion(Path root, List<String> problems) {
    Path lib = root.resolve("lib");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (Stream<Path> dirs = Files.list(lib)) {
      List<Path> apps = dirs.filter(d -> {
        String name = d.getFileName().toString();
        return name.equals("elixir") || name.startsWith("elixir-");
      }).map(d -> d.resolve("ebin/elixir.app")).filter(Files::isRegularFile).sorted().toList();
      if (apps.isEmpty()) {
        return null;
      }
      if (apps.size() > 1) {
        problems.add("several Elixir installations under " + lib + "; give --elixir-version");
        return null;
      }
      Path app = apps.get(0);
      if (Files.size(app) > MAX_APP_FILE) {
        problems.add(app + " is too large to be an .app file");
        return null;
      }
      Matcher m = APP_VSN.matcher(Files.readString(app, StandardCharsets.UTF_8));
      if (!m.find()) {
        problems.add(app + " has no {vsn, \"...\"}; give --elixir-version");
        return null;
      }
      return m.group(1);
    } catch (IOException e) {
      problems.add("cannot read Elixir's version under " + lib + ": " + e.getMessage());
      return null;
    }
  }
}
