package dev.dala.ota.release.ipa;

import java.nio.file.Path;
import java.util.List;

/**
 * Code-signs a staged .app. On macOS that is {@code codesign}; signing on Linux is a later
 * piece of work and plugs in here, so nothing else in {@code release ipa} changes.
 */
public interface BundleSigner {

  /** Whether the bundle comes out signed (preflight then requires the signature). */
  boolean signs();

  /** One line for the log, such as {@code codesign as "Apple Distribution: …"}. */
  String describe();

  /**
   * Signs {@code nested} code (frameworks, dylibs, extensions) first, inside out, then the app
   * with {@code entitlements}, the property list taken from the provisioning profile.
   */
  void sign(Path app, List<Path> nested, Path entitlements);
}
