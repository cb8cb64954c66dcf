package dev.dala.ota.server.deployment;

import java.util.List;

/**
 * A deployment's waves as stored: a JSON object rather than a bare array, which is the shape
 * Hibernate Reactive's JSON columns read back.
 */
public record WavePlan(List<Wave> waves) {

  public WavePlan {
    waves = List.copyOf(waves);
  }
}
