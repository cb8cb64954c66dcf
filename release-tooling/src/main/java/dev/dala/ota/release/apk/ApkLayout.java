package dev.dala.ota.release.apk;

import java.util.Locale;

/** Where things go inside an APK, and which entries need which alignment. */
public final class ApkLayout {

  /** The OTP tree, and the app's libraries beside OTP's own under {@code lib/}. */
  public static final String OTP_PREFIX = "assets/otp/";
  /** The agent config, outside otp/ so that OTP never sees it as an application. */
  public static final String CONFIG_ENTRY = "assets/" + dev.dala.ota.release.config.AgentConfig.FILE_NAME;
  /** Android 15 devices with 16 KB pages map uncompressed native libraries at this alignment. */
  public static final int LIBRARY_ALIGNMENT = 16 * 1024;
  /** Every other stored entry is read through mmap at 4-byte alignment. */
  public static final int STORED_ALIGNMENT = 4;

  private ApkLayout() {}

  /** A native library the platform maps directly from the APK. */
  public static boolean isNativeLibrary(String name) {
    return name.startsWith("lib/") && name.toLowerCase(Locale.ROOT).endsWith(".so");
  }

  /** A v1 (JAR) signature file, which re-signing replaces. */
  public static boolean isJarSignatureFile(String name) {
    if (!name.startsWith("META-INF/") || name.indexOf('/', 9) >= 0) {
      return false;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".RSA")
        || upper.endsWith(".DSA") || upper.endsWith(".EC");
  }

  public static int alignmentFor(String name) {
    return isNativeLibrary(name) ? LIBRARY_ALIGNMENT : STORED_ALIGNMENT;
  }
}
