package dev.dala.ota.server.checkin;

import dev.dala.ota.server.deployment.DeploymentState;
import dev.dala.ota.server.deployment.Wave;
import java.util.List;
import java.util.UUID;

/**
 * A channel as the check-in sees it: its app, and its live deployment (null when there is none).
 * Built from the database on first use and dropped whenever the app changes.
 */
public record ChannelSnapshot(UUID channelId, String channelName, UUID appId, String appName, Live deployment) {

  /** The channel's live deployment and the release it carries. */
  public record Live(UUID id, DeploymentState state, int percent, List<Wave> waves, boolean mandatory,
      String applyMode, ReleaseSnapshot release) {}
}
