package dev.dala.ota.server.deployment;

/**
 * One stage of a rollout: the share of devices (in percent of the fleet, cumulative) that may
 * take the release, and how many confirmed installs in this stage let it advance to the next.
 * {@code advanceAfter} is null for the last wave, or for a wave that only a person advances.
 */
public record Wave(int percent, Integer advanceAfter) {

  public Wave {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("a wave's percent is 0..100");
    }
    if (advanceAfter != null && advanceAfter < 1) {
      throw new IllegalArgumentException("advance_after must be at least 1");
    }
  }
}
