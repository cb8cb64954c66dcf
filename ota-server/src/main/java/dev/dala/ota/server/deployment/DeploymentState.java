package dev.dala.ota.server.deployment;

import java.util.Locale;

/** Where a deployment is in its life. Only an active one is offered to devices. */
public enum DeploymentState {
  ACTIVE,
  PAUSED,
  /** Stopped by its failure threshold; only a person resumes it. */
  HALTED,
  /** Replaced by a newer deployment on the same channel. */
  SUPERSEDED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeploymentState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
