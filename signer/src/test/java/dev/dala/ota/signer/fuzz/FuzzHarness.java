package dev.dala.ota.signer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs a target on mutated inputs for a bounded time. A target may only fail with its own
 * checked exception; anything else, or allocating more than {@code bytesPerInputByte} times
 * the input's size plus a fixed allowance, fails the test and saves the input under
 * target/fuzz-failures so it can be replayed.
 */
final class FuzzHarness {

  /** What is fuzzed: it either returns or throws one of the expected exceptions. */
  interface Target {
    void run(byte[] input) throws Exception;
  }

  /** Heap any single call may use regardless of input size: exceptions, lookups, JIT noise. */
  private static final long ALLOWANCE = 512 * 1024;

  private FuzzHarness() {}

  static long budgetSeconds() {
    return Long.getLong("dala.test.fuzz-seconds", 8);
  }

  /** Runs the target and returns how many inputs it saw. */
  static long run(String name, long seed, List<byte[]> seeds, Class<? extends Exception> expected,
      long bytesPerInputByte, Target target) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    SeededMutator mutator = new SeededMutator(seed, seeds);
    long deadline = System.nanoTime() + Duration.ofSeconds(budgetSeconds()).toNanos();
    long inputs = 0;
    long rejected = 0;
    while (System.nanoTime() < deadline) {
      byte[] input = mutator.next();
      inputs++;
      long before = threads.getCurrentThreadAllocatedBytes();
      try {
        target.run(input);
      } catch (Exception e) {
        if (!expected.isInstance(e)) {
          throw save(name, input, new AssertionError(name + ": unexpected " + e, e));
        }
        rejected++;
      } catch (Throwable t) {
        throw save(name, input, new AssertionError(name + ": unchecked " + t, t));
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (allocated > bytesPerInputByte * input.length + ALLOWANCE) {
        throw save(name, input, new AssertionError(name + ": allocated " + allocated + " bytes for an input of "
            + input.length));
      }
    }
    assertThat(inputs).as("inputs tried").isGreaterThan(1000);
    assertThat(rejected).as("mutations that were rejected").isPositive();
    return inputs;
  }

  private static AssertionError save(String name, byte[] input, AssertionError error) {
    try {
      Path dir = Path.of("target", "fuzz-failures");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + "-" + System.nanoTime() + ".hex");
      Files.writeString(file, HexFormat.of().formatHex(input));
      error.addSuppressed(new Exception("input saved to " + file.toAbsolutePath()));
    } catch (java.io.IOException e) {
      error.addSuppressed(e);
    }
    return error;
  }
}
