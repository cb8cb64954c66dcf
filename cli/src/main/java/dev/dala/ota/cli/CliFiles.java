package dev.dala.ota.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** File access for the CLI: reads that fail as bad input, writes that never leave half a file. */
public final class CliFiles {

  private CliFiles() {}

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CliException.badInput(file + ": no such file");
    } catch (IOException e) {
      throw CliException.badInput(file + ": " + e.getMessage());
    }
  }

  public static String readText(Path file) {
    return new String(read(file), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Writes through a temporary file in the same folder, then renames it into place. */
  public static void writeAtomically(Path file, byte[] bytes, boolean secret) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        if (secret) {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.write(tmp, bytes);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.BAD_INPUT, "cannot write " + file + ": " + e.getMessage());
    }
  }
}
