package dev.dala.ota.release.preflight;

import java.util.List;

/** An .app bundle's entries and contents, from an IPA or from a folder. */
public interface AppSource {

  /** The bundle's folder name, such as {@code MyApp.app}. */
  String bundleName();

  /** Where the bundle sits, for messages: {@code Payload/MyApp.app} in an IPA, or a folder. */
  String location();

  /** Every entry, in path order. */
  List<AppEntry> entries();

  /** Up to {@code max} leading bytes of a file. */
  byte[] read(AppEntry entry, long max);

  default AppEntry find(String path) {
    return entries().stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
  }
}
