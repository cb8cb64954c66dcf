package dev.dala.ota.release.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output that appears whole or not at all: it is written to a temporary file beside its
 * final name and renamed into place by {@link #commit()}. Closing without committing deletes
 * the temporary file, so a failure never leaves half an APK or IPA behind.
 */
public final class OutputFile implements AutoCloseable {

  private final Path target;
  private final Path temp;
  private boolean committed;

  private OutputFile(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /** Reserves a temporary file in {@code target}'s folder, creating the folder if needed. */
  public static OutputFile create(Path target) {
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      return new OutputFile(target, Files.createTempFile(dir, "." + target.getFileName(), ".partial"));
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write " + target + ": " + e.getMessage());
    }
  }

  /** Where to write; the caller may replace its contents freely. */
  public Path temp() {
    return temp;
  }

  public Path target() {
    return target;
  }

  /** Moves the finished file into place, atomically where the filesystem allows. */
  public void commit() {
    try {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write " + target + ": " + e.getMessage());
    }
  }

  /** Writes {@code bytes} to {@code target} through a temporary file. */
  public static void write(Path target, byte[] bytes) {
    try (OutputFile out = create(target)) {
      try {
        Files.write(out.temp(), bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.commit();
    } catch (UncheckedIOException e) {
      throw ReleaseException.badInput("cannot write " + target + ": " + e.getCause().getMessage());
    }
  }

  @Override
  public void close() {
    if (!committed) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Best effort: the name starts with a dot and ends in .partial, so it is recognisable.
      }
    }
  }
}
