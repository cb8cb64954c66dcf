package dev.dala.ota.signer.beam;

import java.util.Map;
import java.util.TreeMap;

/**
 * The highest generic BEAM opcode each OTP release loads, from {@code genop.tab}'s history, and
 * the file-format changes that also raise the release a module needs.
 *
 * <p>24 ended at {@code recv_marker_use} (176), 25 at {@code badrecord} (180), 26 at
 * {@code bs_match} (182), 27 at {@code executable_line} (183), 28 at {@code debug_line} (184),
 * 29 at {@code get_record_field} (191). OTP 29's {@code beam_opcodes} was read on a real OTP 29
 * node; {@code bif3} (185) is counted as 29 because the compiler's own disassembler lists only
 * {@code debug_line} under 28, and guessing high only refuses a module, never breaks a device.
 */
public final class OtpRelease {

  private static final TreeMap<Integer, Integer> MAX_OPCODE = new TreeMap<>(Map.of(
      24, 176, 25, 180, 26, 182, 27, 183, 28, 184, 29, 191));

  /** The first release whose loader reads compact atom lengths (a negative atom count). */
  public static final int COMPACT_ATOMS = 28;
  /** The first release whose loader reads an uncompressed literal table. */
  public static final int UNCOMPRESSED_LITERALS = 28;
  /** The first release with the {@code DbgB} chunk of the native debugger. */
  public static final int DEBUG_INFO_CHUNK = 28;
  /** The first release with native records ({@code Recs}). */
  public static final int NATIVE_RECORDS = 29;

  private OtpRelease() {}

  /** The oldest known release that loads {@code opcode}, or -1 if it is newer than all known. */
  public static int lowestLoading(int opcode) {
    for (Map.Entry<Integer, Integer> e : MAX_OPCODE.entrySet()) {
      if (opcode <= e.getValue()) {
        return e.getKey();
      }
    }
    return -1;
  }

  public static int maxOpcode(int release) {
    Integer max = MAX_OPCODE.get(release);
    if (max == null) {
      throw new IllegalArgumentException("no opcode ceiling known for OTP " + release);
    }
    return max;
  }

  public static int oldestKnown() {
    return MAX_OPCODE.firstKey();
  }

  public static int newestKnown() {
    return MAX_OPCODE.lastKey();
  }
}
