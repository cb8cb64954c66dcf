package dev.dala.ota.server.auth;

import java.util.Locale;

/** What an API token may do. Each role can do everything the ones below it can. */
public enum Role {
  /** Reads releases, deployments, devices and events. */
  VIEWER,
  /** Also publishes releases, registers bases, and runs deployments. */
  PUBLISHER,
  /** Also manages apps, channels and tokens, and reads the audit log. */
  ADMIN;

  public boolean allows(Role required) {
    return compareTo(required) >= 0;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.code().equals(text)) {
        return r;
      }
    }
    return null;
  }
}
