package dev.dala.ota.release.preflight;

import java.util.regex.Pattern;

/** Dotted OS versions as Info.plist and Mach-O load commands write them: 15, 15.0, 15.0.1. */
public final class OsVersion {

  private static final Pattern FORM = Pattern.compile("\\d{1,4}(\\.\\d{1,3}){0,2}");

  private OsVersion() {}

  public static boolean isValid(String version) {
    return version != null && FORM.matcher(version).matches();
  }

  /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < 3; i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }
}
