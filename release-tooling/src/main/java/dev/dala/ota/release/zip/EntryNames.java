package dev.dala.ota.release.zip;

/** Rules for names inside archives this tool reads and writes. */
public final class EntryNames {

  private EntryNames() {}

  /** Relative, forward-slashed, with no {@code ..} segment: extracting it cannot escape its folder. */
  public static boolean isSafe(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
