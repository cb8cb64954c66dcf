package dev.dala.ota.release.zip;

import dev.dala.ota.release.cli.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An APK or IPA opened for reading, its entries checked against {@link ZipLimits}, unique
 * names and safe paths before the caller sees any of them. Entries keep the archive's order.
 */
public final class ArchiveReader implements AutoCloseable {

  private final Path file;
  private final ZipFile zip;
  private final List<ZipArchiveEntry> entries;
  private final ZipLimits limits;

  private ArchiveReader(Path file, ZipFile zip, List<ZipArchiveEntry> entries, ZipLimits limits) {
    this.file = file;
    this.zip = zip;
    this.entries = entries;
    this.limits = limits;
  }

  /** Opens {@code file}; a missing file, a corrupt zip or a limit exceeded fails as bad input. */
  public static ArchiveReader open(Path file, ZipLimits limits) {
    if (!Files.isRegularFile(file)) {
      throw ReleaseException.badInput(file + ": no such file");
    }
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(file).setIgnoreLocalFileHeader(false).get();
    } catch (IOException | RuntimeException e) {
      throw ReleaseException.badInput(file + ": not a valid zip archive: " + message(e));
    }
    try {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
      List<String> problems = new ArrayList<>();
      if (entries.size() > limits.maxEntries()) {
        problems.add(entries.size() + " entries; the limit is " + limits.maxEntries());
      }
      Set<String> names = new HashSet<>();
      long total = 0;
      for (ZipArchiveEntry e : entries) {
        String name = e.getName();
        if (!names.add(name)) {
          problems.add("duplicate entry " + name);
        }
        if (!EntryNames.isSafe(name)) {
          problems.add("unsafe entry name " + name);
        }
        if (e.getSize() > limits.maxEntryBytes()) {
          problems.add(name + " is " + e.getSize() + " bytes; the limit is " + limits.maxEntryBytes());
        }
        total += Math.max(0, e.getSize());
      }
      if (total > limits.maxTotalBytes()) {
        problems.add("the entries hold " + total + " bytes; the limit is " + limits.maxTotalBytes());
      }
      if (!problems.isEmpty()) {
        zip.close();
        throw new ReleaseException(dev.dala.ota.release.cli.ExitCode.BAD_INPUT, file + ": refused", problems);
      }
      return new ArchiveReader(file, zip, List.copyOf(entries), limits);
    } catch (IOException e) {
      closeQuietly(zip);
      throw ReleaseException.badInput(file + ": not a valid zip archive: " + message(e));
    }
  }

  public Path file() {
    return file;
  }

  public List<ZipArchiveEntry> entries() {
    return entries;
  }

  public ZipArchiveEntry entry(String name) {
    return zip.getEntry(name);
  }

  /** The uncompressed bytes of an entry, read within the per-entry limit. */
  public byte[] read(ZipArchiveEntry entry) {
    byte[] bytes = read(entry, limits.maxEntryBytes() + 1);
    if (bytes.length > limits.maxEntryBytes()) {
      throw ReleaseException.badInput(file + ": " + entry.getName() + " is larger than its limit");
    }
    return bytes;
  }

  /** Up to {@code max} leading uncompressed bytes of an entry; only those are inflated. */
  public byte[] read(ZipArchiveEntry entry, long max) {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max));
    } catch (IOException | RuntimeException e) {
      throw ReleaseException.badInput(file + ": cannot read " + entry.getName() + ": " + message(e));
    }
  }

  /** The entry's stored bytes, still compressed, for copying it unchanged. */
  public InputStream raw(ZipArchiveEntry entry) {
    try {
      return zip.getRawInputStream(entry);
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": cannot read " + entry.getName() + ": " + message(e));
    }
  }

  /** Whether every entry's data can actually be read and matches its CRC. */
  public List<String> integrityProblems() {
    List<String> problems = new ArrayList<>();
    byte[] buffer = new byte[64 * 1024];
    for (ZipArchiveEntry e : entries) {
      if (e.isDirectory()) {
        continue;
      }
      try (InputStream in = zip.getInputStream(e)) {
        while (in.read(buffer) >= 0) {
          // Reading to the end makes the stream check the CRC.
        }
      } catch (IOException | RuntimeException ex) {
        problems.add(e.getName() + ": " + message(ex));
      }
    }
    return problems;
  }

  @Override
  public void close() {
    closeQuietly(zip);
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // Nothing was written through it.
    }
  }

  static String message(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
