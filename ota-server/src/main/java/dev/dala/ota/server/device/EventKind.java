package dev.dala.ota.server.device;

import java.util.Locale;

/** What a device reports about a release. {@code offered} is recorded by the server itself. */
public enum EventKind {
  OFFERED,
  DOWNLOADED,
  APPLIED,
  CONFIRMED,
  FAILED,
  ROLLED_BACK;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a device may report, or null. */
  public static EventKind reportable(String code) {
    for (EventKind k : values()) {
      if (k != OFFERED && k.code().equals(code)) {
        return k;
      }
    }
    return null;
  }

  public boolean isFailure() {
    return this == FAILED || this == ROLLED_BACK;
  }
}
