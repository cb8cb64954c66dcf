package dev.dala.ota.server.deployment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * Places each device in one of 10,000 buckets per deployment: the first four bytes of
 * SHA-256(deployment id ++ ":" ++ install id), big-endian, modulo 10,000. A device keeps its
 * bucket for the life of a deployment, so it keeps its answer and its wave; a new deployment
 * shuffles the fleet anew, so the same devices are not always the first to take a release.
 */
public final class Bucketing {

  public static final int BUCKETS = 10_000;

  private Bucketing() {}

  // Every check-in computes a bucket: keep one digest per thread rather than look one up each time.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  });

  public static int bucket(UUID deploymentId, String installId) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(deploymentId.toString().getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    byte[] digest = sha.digest(installId.getBytes(StandardCharsets.UTF_8));
    long word = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8) | (digest[3] & 0xFFL);
    return (int) (word % BUCKETS);
  }

  /** Whether a bucket falls within a rollout of {@code percent}. */
  public static boolean within(int bucket, int percent) {
    return bucket < percent * (BUCKETS / 100);
  }

  /** The wave a bucket joins: the first whose percent covers it, or -1 if none does. */
  public static int waveOf(int bucket, List<Wave> waves) {
    for (int i = 0; i < waves.size(); i++) {
      if (within(bucket, waves.get(i).percent())) {
        return i;
      }
    }
    return -1;
  }
}
