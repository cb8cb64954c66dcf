package dev.dala.ota.release.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * .app bundles as xcodebuild leaves them for a Dala app before the App Store fixes: a real
 * arm64 Mach-O executable, an Info.plist without the keys Dala's build forgets, and an
 * unpruned OTP tree. Also a stand-in for codesign, for signing on Linux in tests.
 */
public final class IosApps {

  public static final String NAME = "DalaDemo";

  private IosApps() {}

  /** {@code DalaDemo.app}; with {@code harness} the executable still references private selectors. */
  public static Path app(Path work, boolean harness) {
    try {
      Path app = Files.createDirectories(work.resolve(NAME + ".app"));
      MachO.executable(Files.createDirectories(work.resolve("build")), app.resolve(NAME), harness);
      Files.writeString(app.resolve("Info.plist"), """
          <?xml version="1.0" encoding="UTF-8"?>
          <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
          <plist version="1.0">
          <dict>
            <key>CFBundleExecutable</key><string>%s</string>
            <key>CFBundleIdentifier</key><string>%s</string>
            <key>CFBundleName</key><string>%s</string>
            <key>CFBundlePackageType</key><string>APPL</string>
            <key>CFBundleShortVersionString</key><string>1.4.2</string>
            <key>CFBundleVersion</key><string>12</string>
          </dict>
          </plist>
          """.formatted(NAME, Profiles.BUNDLE_ID, NAME));
      Files.writeString(Files.createDirectories(app.resolve("Assets")).resolve("splash.txt"), "hello\n");
      OtpTrees.ios(app.resolve("otp"), Files.createDirectories(work.resolve("otp-build")));
      return app;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A codesign stand-in: logs its arguments and, for an .app, writes the seal and the top-level
   * CodeResources link as codesign of Dala's era did, so packaging of the link can be tested.
   */
  public static Path fakeCodesign(Path work) {
    try {
      Path log = work.resolve("codesign.log");
      Path script = work.resolve("codesign");
      Files.writeString(script, """
          #!/bin/sh
          echo "$@" >> '%s'
          for last in "$@"; do :; done
          case "$last" in
            *.app)
              mkdir -p "$last/_CodeSignature"
              printf '<?xml version="1.0"?><plist version="1.0"><dict><key>files</key><dict/></dict></plist>' \\
                > "$last/_CodeSignature/CodeResources"
              ln -sf _CodeSignature/CodeResources "$last/CodeResources"
              ;;
          esac
          """.formatted(log));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
