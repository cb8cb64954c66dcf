package dev.dala.ota.server.checkin;

import java.util.List;

/**
 * The outcome of a check-in: no update (and why), or an update with the modules the device
 * lacks. {@code wave} is the rollout wave the device belongs to.
 */
public record Decision(Kind kind, String reason, ChannelSnapshot.Live deployment, List<String> delta, int wave) {

  /** Whether there is something to install. */
  public enum Kind {
    NONE,
    UPDATE
  }

  public static Decision none(String reason) {
    return new Decision(Kind.NONE, reason, null, List.of(), -1);
  }

  public boolean isUpdate() {
    return kind == Kind.UPDATE;
  }
}
