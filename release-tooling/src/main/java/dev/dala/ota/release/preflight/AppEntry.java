package dev.dala.ota.release.preflight;

import java.util.Objects;

/**
 * A file, folder or link of an .app bundle, by its path inside the bundle ({@code otp/lib/...},
 * forward slashes), whether it lives in an IPA or in a folder on disk.
 */
public record AppEntry(String path, Type type, long size, boolean executable, String linkTarget) {

  /** What kind of entry it is. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK
  }

  public AppEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }

  public boolean isFile() {
    return type == Type.FILE;
  }

  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public boolean isUnder(String folder) {
    return path.startsWith(folder + "/");
  }
}
