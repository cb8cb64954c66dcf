package dev.dala.ota.server.checkin;

import dev.dala.ota.server.deployment.Bucketing;
import dev.dala.ota.server.deployment.DeploymentState;
import dev.dala.ota.signer.manifest.AgentVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides a check-in from snapshots alone, so the same inputs always give the same answer:
 * a live, active deployment; a release newer than the device's; a compatible base, OTP release
 * and agent; and the device's bucket inside the current wave's share.
 */
public final class CheckinDecider {

  private CheckinDecider() {}

  /**
   * @param current the release the device runs now, or null when the server does not know it
   */
  public static Decision decide(ChannelSnapshot channel, CheckinRequest device, ReleaseSnapshot current) {
    ChannelSnapshot.Live live = channel.deployment();
    if (live == null) {
      return Decision.none("no_deployment");
    }
    if (live.state() != DeploymentState.ACTIVE) {
      return Decision.none(live.state() == DeploymentState.HALTED ? "deployment_halted" : "deployment_paused");
    }
    ReleaseSnapshot release = live.release();
    if (device.currentSequence() >= release.sequence()) {
      return Decision.none("up_to_date");
    }
    if (!release.baseKeys().contains(ReleaseSnapshot.baseKey(device.platform(), device.otpRelease(), device.baseFingerprint()))) {
      return Decision.none("incompatible_base");
    }
    if (AgentVersion.parse(device.agentVersion()).compareTo(AgentVersion.parse(release.minAgentVersion())) < 0) {
      return Decision.none("agent_too_old");
    }
    int bucket = Bucketing.bucket(live.id(), device.installId());
    if (!Bucketing.within(bucket, live.percent())) {
      return Decision.none("not_in_rollout");
    }
    return new Decision(Decision.Kind.UPDATE, null, live, delta(release, current), Bucketing.waveOf(bucket, live.waves()));
  }

  /** The modules of {@code release} whose hash differs from the device's current release; all when unknown. */
  static List<String> delta(ReleaseSnapshot release, ReleaseSnapshot current) {
    Map<String, String> have = current == null ? Map.of() : current.moduleHashes();
    List<String> names = new ArrayList<>();
    release.moduleHashes().forEach((name, sha) -> {
      if (!sha.equals(have.get(name))) {
        names.add(name);
      }
    });
    names.sort(null);
    return names;
  }
}
