package dev.dala.ota.signer.manifest;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An agent version {@code MAJOR.MINOR.PATCH}, compared numerically. */
public record AgentVersion(int major, int minor, int patch) implements Comparable<AgentVersion> {

  private static final Pattern FORM = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})\\.(\\d{1,6})");

  public static AgentVersion parse(String text) {
    Matcher m = FORM.matcher(Objects.requireNonNull(text, "text"));
    if (!m.matches()) {
      throw new IllegalArgumentException("an agent version is MAJOR.MINOR.PATCH, got '" + text + "'");
    }
    return new AgentVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  @Override
  public int compareTo(AgentVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
