package dev.dala.ota.release.preflight;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An .app bundle in a folder on disk; links are reported as links, never followed. */
public final class DirectoryAppSource implements AppSource {

  private final Path root;
  private final List<AppEntry> entries;

  public DirectoryAppSource(Path root) {
    this.root = root;
    this.entries = scan(root);
  }

  @Override
  public String bundleName() {
    return root.getFileName().toString();
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public List<AppEntry> entries() {
    return entries;
  }

  @Override
  public byte[] read(AppEntry entry, long max) {
    try (InputStream in = Files.newInputStream(root.resolve(entry.path()))) {
      return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<AppEntry> scan(Path root) {
    List<AppEntry> out = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root)) {
            out.add(new AppEntry(relative(root, dir), AppEntry.Type.DIRECTORY, 0, false, null));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (attrs.isSymbolicLink()) {
            out.add(new AppEntry(relative(root, file), AppEntry.Type.SYMLINK, 0, false,
                Files.readSymbolicLink(file).toString()));
          } else if (attrs.isRegularFile()) {
            out.add(new AppEntry(relative(root, file), AppEntry.Type.FILE, attrs.size(), isExecutable(file), null));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(AppEntry::path));
    return List.copyOf(out);
  }

  static boolean isExecutable(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException | IOException e) {
      return Files.isExecutable(file);
    }
  }

  static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }
}
