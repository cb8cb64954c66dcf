package dev.dala.ota.release.ipa;

import dev.dala.ota.release.otp.OtpPruning;

import dev.dala.ota.release.cli.WorkDir;
import dev.dala.ota.release.macho.BinaryKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a staged {@code otp/} App Store-clean: only .beam files and data stay. Unused OTP
 * applications go whole; so do compile-time folders, native code (.so, .a, any Mach-O or ELF),
 * executables, and links. Counts what went, by reason, for the log.
 */
final class OtpPruner {

  /** How many files and bytes each reason removed. */
  record Pruned(Map<String, Integer> files, Map<String, Long> bytes) {}

  private final Set<String> unusedApps;
  private final Map<String, Integer> files = new TreeMap<>();
  private final Map<String, Long> bytes = new TreeMap<>();

  OtpPruner(Set<String> unusedApps) {
    this.unusedApps = Set.copyOf(unusedApps);
  }

  Pruned prune(Path otp) {
    if (!Files.isDirectory(otp)) {
      return new Pruned(Map.of(), Map.of());
    }
    Path lib = otp.resolve("lib");
    try {
      if (Files.isDirectory(lib)) {
        try (var apps = Files.list(lib)) {
          for (Path app : apps.sorted().toList()) {
            if (Files.isDirectory(app) && unusedApps.contains(OtpPruning.appName(app.getFileName().toString()))) {
              removeTree(app, "unused_app");
            }
          }
        }
      }
      Files.walkFileTree(otp, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName().toString();
          if (!dir.equals(otp) && OtpPruning.SOURCE_DIRS.contains(name)) {
            removeTree(dir, "sources");
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String reason = reason(file, attrs);
          if (reason != null) {
            count(reason, attrs.isSymbolicLink() ? 0 : attrs.size());
            Files.delete(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (!dir.equals(otp)) {
            try (var left = Files.list(dir)) {
              if (left.findAny().isEmpty()) {
                Files.delete(dir);
              }
            }
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Pruned(Map.copyOf(files), Map.copyOf(bytes));
  }

  private static String reason(Path file, BasicFileAttributes attrs) throws IOException {
    if (attrs.isSymbolicLink()) {
      return "link";
    }
    if (!attrs.isRegularFile()) {
      return "special_file";
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".so") || name.endsWith(".a") || name.endsWith(".dylib") || name.endsWith(".o")) {
      return "native_library";
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(BinaryKind.HEAD_BYTES);
    }
    if (BinaryKind.of(head).isBinary()) {
      return "binary";
    }
    var permissions = Files.getPosixFilePermissions(file);
    if (permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
      if (name.endsWith(".beam")) {
        // A module is data to the loader; an execute bit on it is an accident of the build.
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return null;
      }
      return "executable";
    }
    return null;
  }

  private void removeTree(Path dir, String reason) {
    try (var walk = Files.walk(dir)) {
      walk.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(f -> {
        try {
          count(reason, Files.size(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WorkDir.deleteTree(dir);
  }

  private void count(String reason, long size) {
    files.merge(reason, 1, Integer::sum);
    bytes.merge(reason, size, Long::sum);
  }
}
