package dev.dala.ota.server.deployment;

/**
 * When a wave is failing badly enough to halt its deployment: {@code count} failed devices,
 * or a failure share of at least {@code rate} once {@code minSample} devices have tried.
 */
public record FailureThreshold(int count, double rate, int minSample) {

  public FailureThreshold {
    if (count < 1 || rate <= 0 || rate > 1 || minSample < 1) {
      throw new IllegalArgumentException("threshold count >= 1, 0 < rate <= 1, min_sample >= 1");
    }
  }

  /** Why the wave must halt, or null if it may go on. */
  public String breach(long failed, long attempted) {
    if (failed >= count) {
      return failed + " devices failed in the wave, the threshold is " + count;
    }
    if (attempted >= minSample && (double) failed / attempted >= rate) {
      return failed + " of " + attempted + " devices failed in the wave (" + Math.round(100.0 * failed / attempted)
          + "%), the threshold is " + Math.round(rate * 100) + "%";
    }
    return null;
  }
}
