package dev.dala.ota.release.macho;

import java.util.List;

/**
 * One architecture of a Mach-O file: what kind of file it is, its sections and the deployment
 * target and SDK its load commands record.
 *
 * @param platform the LC_BUILD_VERSION platform (2 is iOS), or 2 for LC_VERSION_MIN_IPHONEOS, or 0 if none
 * @param minOs the deployment target, such as {@code 15.0}, or null when no load command records one
 * @param sdk the SDK version, or null
 */
public record MachOImage(int cpuType, int fileType, List<Section> sections, int platform, String minOs, String sdk,
    boolean hasEntryPoint) {

  public static final int CPU_ARM64 = 0x0100000c;
  public static final int FILE_EXECUTE = 2;
  public static final int PLATFORM_IOS = 2;

  /** A section: its segment and name and where its bytes are in the file. */
  public record Section(String segment, String name, long offset, long size, int type) {}

  public MachOImage {
    sections = List.copyOf(sections);
  }

  public List<Section> sections(String name) {
    return sections.stream().filter(s -> s.name().equals(name)).toList();
  }
}
