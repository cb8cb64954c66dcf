package dev.dala.ota.cli.keys;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --dir} option every keys verb shares. */
public final class KeyDirectoryOption {

  @Option(names = "--dir", defaultValue = "ota-keys", description = "Key folder (default: ${DEFAULT-VALUE}).")
  Path dir;

  public KeyDirectory directory() {
    return new KeyDirectory(dir);
  }
}
