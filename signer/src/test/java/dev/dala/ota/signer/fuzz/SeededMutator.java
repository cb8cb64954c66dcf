package dev.dala.ota.signer.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutates valid inputs the way format fuzzers do: bit flips, random bytes, hostile length
 * fields, cut-offs, splices and repeats. Seeded, so a failing run repeats exactly.
 */
final class SeededMutator {

  private static final int[] HOSTILE = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x10000, 0xFFFF, 0x100, 0};

  private final SplittableRandom random;
  private final List<byte[]> seeds;

  SeededMutator(long seed, List<byte[]> seeds) {
    this.random = new SplittableRandom(seed);
    this.seeds = List.copyOf(seeds);
  }

  byte[] next() {
    byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds && input.length > 0; i++) {
      input = mutate(input);
    }
    return input;
  }

  private byte[] mutate(byte[] in) {
    int at = random.nextInt(in.length);
    switch (random.nextInt(8)) {
      case 0 -> in[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> in[at] = (byte) random.nextInt(256);
      case 2 -> {
        if (in.length - at >= 4) {
          int v = HOSTILE[random.nextInt(HOSTILE.length)];
          in[at] = (byte) (v >>> 24);
          in[at + 1] = (byte) (v >>> 16);
          in[at + 2] = (byte) (v >>> 8);
          in[at + 3] = (byte) v;
        }
      }
      case 3 -> in = Arrays.copyOf(in, at);
      case 4 -> {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int from = random.nextInt(other.length);
        int n = Math.min(other.length - from, 1 + random.nextInt(64));
        byte[] out = Arrays.copyOf(in, in.length + n);
        System.arraycopy(other, from, out, at, n);
        System.arraycopy(in, at, out, at + n, in.length - at);
        in = out;
      }
      case 5 -> {
        int n = Math.min(in.length - at, 1 + random.nextInt(16));
        byte[] out = new byte[in.length + n];
        System.arraycopy(in, 0, out, 0, at + n);
        System.arraycopy(in, at, out, at + n, in.length - at);
        in = out;
      }
      case 6 -> {
        int n = Math.min(in.length - at, 1 + random.nextInt(32));
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        in = out;
      }
      default -> in[at] = (byte) (in[at] + random.nextInt(-3, 4));
    }
    return in;
  }
}
