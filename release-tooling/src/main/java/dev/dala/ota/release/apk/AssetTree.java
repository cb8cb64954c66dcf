package dev.dala.ota.release.apk;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files to embed in an APK, by entry name in byte order of the name, so the same inputs are
 * always written in the same order. Collects every problem (a missing folder, a link, two files
 * for one name, too many bytes) rather than stopping at the first.
 */
final class AssetTree {

  /** A file to embed, from disk or from memory. */
  record Asset(String name, Path source, byte[] bytes) {}

  private final Map<String, Asset> assets = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private final long maxBytes;
  private long bytes;

  AssetTree(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Every regular file under {@code root}, named {@code prefix + relative path}. */
  void addTree(Path root, String prefix) {
    if (!Files.isDirectory(root)) {
      problems.add(root + " is not a folder");
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String relative = root.relativize(file).toString().replace('\\', '/');
          if (attrs.isSymbolicLink()) {
            problems.add(file + " is a symbolic link; APK assets cannot hold links");
          } else if (attrs.isRegularFile()) {
            addFile(prefix + relative, file, attrs.size());
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      problems.add("cannot read " + root + ": " + e.getMessage());
    }
  }

  /** The .beam and .app files of an ebin folder, under {@code prefix}. */
  void addEbin(Path ebin, String prefix) {
    if (!Files.isDirectory(ebin)) {
      problems.add(ebin + " is not a folder");
      return;
    }
    try (var files = Files.list(ebin)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if ((name.endsWith(".beam") || name.endsWith(".app")) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          addFile(prefix + name, f, Files.size(f));
        }
      }
    } catch (IOException e) {
      problems.add("cannot read " + ebin + ": " + e.getMessage());
    }
  }

  void addBytes(String name, byte[] content) {
    add(new Asset(name, null, content), content.length);
  }

  private void addFile(String name, Path file, long size) {
    add(new Asset(name, file, null), size);
  }

  private void add(Asset asset, long size) {
    if (assets.putIfAbsent(asset.name(), asset) != null) {
      problems.add("two files for " + asset.name());
      return;
    }
    bytes += size;
    if (bytes > maxBytes && problems.stream().noneMatch(p -> p.startsWith("the assets exceed"))) {
      problems.add("the assets exceed " + maxBytes + " bytes (--max-asset-bytes)");
    }
  }

  List<Asset> assets() {
    return List.copyOf(assets.values());
  }

  boolean contains(String name) {
    return assets.containsKey(name);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
