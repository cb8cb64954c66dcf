package dev.dala.ota.release.macho;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the headers of a Mach-O file, thin or universal, checking every offset against the
 * file's size: the file type, the sections of each segment and the deployment target. It reads
 * no code; the preflight scans section bytes itself.
 */
public final class MachOReader {

  private static final int LC_SEGMENT_64 = 0x19;
  private static final int LC_SEGMENT = 0x1;
  private static final int LC_VERSION_MIN_IPHONEOS = 0x25;
  private static final int LC_BUILD_VERSION = 0x32;
  private static final int LC_MAIN = 0x80000028;
  private static final int MAX_COMMANDS = 10_000;
  private static final int MAX_SLICES = 32;

  private MachOReader() {}

  /** Every architecture in the file; one for a thin file. */
  public static List<MachOImage> read(byte[] file) throws MachOFormatException {
    BinaryKind kind = BinaryKind.of(head(file));
    if (kind == BinaryKind.MACH_O) {
      return List.of(readThin(file, 0, file.length));
    }
    if (kind != BinaryKind.MACH_O_UNIVERSAL) {
      throw new MachOFormatException("not a Mach-O file");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
    boolean wide = b.getInt(0) == 0xcafebabf;
    int count = b.getInt(4);
    if (count < 1 || count > MAX_SLICES) {
      throw new MachOFormatException("a universal binary with " + count + " architectures");
    }
    int entry = wide ? 32 : 20;
    check(8L + (long) count * entry, file.length, "architecture table");
    List<MachOImage> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = 8 + i * entry;
      long offset = wide ? b.getLong(at + 8) : Integer.toUnsignedLong(b.getInt(at + 8));
      long size = wide ? b.getLong(at + 16) : Integer.toUnsignedLong(b.getInt(at + 12));
      check(offset + size, file.length, "architecture " + i);
      images.add(readThin(file, (int) offset, (int) (offset + size)));
    }
    return images;
  }

  /** The image for arm64, the only architecture iOS devices run, or null. */
  public static MachOImage arm64(List<MachOImage> images) {
    return images.stream().filter(i -> i.cpuType() == MachOImage.CPU_ARM64).findFirst().orElse(null);
  }

  private static MachOImage readThin(byte[] file, int start, int end) throws MachOFormatException {
    check(start + 28L, end, "header");
    int magicLe = ByteBuffer.wrap(file, start, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    ByteOrder order = magicLe == 0xfeedfacf || magicLe == 0xfeedface ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    ByteBuffer b = ByteBuffer.wrap(file).order(order);
    boolean is64 = b.getInt(start) == 0xfeedfacf;
    int cpu = b.getInt(start + 4);
    int fileType = b.getInt(start + 12);
    int ncmds = b.getInt(start + 16);
    long sizeofcmds = Integer.toUnsignedLong(b.getInt(start + 20));
    int headerSize = is64 ? 32 : 28;
    if (ncmds < 0 || ncmds > MAX_COMMANDS) {
      throw new MachOFormatException(ncmds + " load commands");
    }
    check(start + headerSize + sizeofcmds, end, "load commands");
    List<MachOImage.Section> sections = new ArrayList<>();
    int platform = 0;
    String minOs = null;
    String sdk = null;
    boolean entryPoint = false;
    long at = start + headerSize;
    long limit = start + headerSize + sizeofcmds;
    for (int i = 0; i < ncmds; i++) {
      check(at + 8, limit, "load command " + i);
      int cmd = b.getInt((int) at);
      long cmdsize = Integer.toUnsignedLong(b.getInt((int) at + 4));
      if (cmdsize < 8) {
        throw new MachOFormatException("load command " + i + " is " + cmdsize + " bytes");
      }
      check(at + cmdsize, limit, "load command " + i);
      int c = (int) at;
      if (cmd == LC_SEGMENT_64 || cmd == LC_SEGMENT) {
        readSections(b, c, cmdsize, cmd == LC_SEGMENT_64, start, end, sections);
      } else if (cmd == LC_BUILD_VERSION && cmdsize >= 24) {
        platform = b.getInt(c + 8);
        minOs = version(b.getInt(c + 12));
        sdk = version(b.getInt(c + 16));
      } else if (cmd == LC_VERSION_MIN_IPHONEOS && cmdsize >= 16) {
        platform = MachOImage.PLATFORM_IOS;
        minOs = version(b.getInt(c + 8));
        sdk = version(b.getInt(c + 12));
      } else if (cmd == LC_MAIN) {
        entryPoint = true;
      }
      at += cmdsize;
    }
    return new MachOImage(cpu, fileType, sections, platform, minOs, sdk, entryPoint);
  }

  private static void readSections(ByteBuffer b, int c, long cmdsize, boolean is64, int start, int end,
      List<MachOImage.Section> out) throws MachOFormatException {
    int headerSize = is64 ? 72 : 56;
    int sectionSize = is64 ? 80 : 68;
    if (cmdsize < headerSize) {
      throw new MachOFormatException("a segment command of " + cmdsize + " bytes");
    }
    int nsects = b.getInt(c + (is64 ? 64 : 48));
    if (nsects < 0 || headerSize + (long) nsects * sectionSize > cmdsize) {
      throw new MachOFormatException("a segment with " + nsects + " sections does not fit its command");
    }
    for (int s = 0; s < nsects; s++) {
      int at = c + headerSize + s * sectionSize;
      String name = name(b, at);
      String segment = name(b, at + 16);
      long size = is64 ? b.getLong(at + 40) : Integer.toUnsignedLong(b.getInt(at + 36));
      long offset = Integer.toUnsignedLong(b.getInt(at + (is64 ? 48 : 40)));
      int flags = b.getInt(at + (is64 ? 64 : 56));
      int type = flags & 0xff;
      // Zero-fill sections (bss, common) take no file space.
      boolean zeroFill = type == 0x1 || type == 0xc || type == 0x12;
      if (!zeroFill && size > 0) {
        check(start + offset + size, end, "section " + segment + "," + name);
      }
      out.add(new MachOImage.Section(segment, name, zeroFill ? -1 : start + offset, size, type));
    }
  }

  private static String name(ByteBuffer b, int at) {
    byte[] raw = new byte[16];
    b.get(at, raw);
    int len = 0;
    while (len < 16 && raw[len] != 0) {
      len++;
    }
    return new String(raw, 0, len, StandardCharsets.US_ASCII);
  }

  /** Mach-O packs versions as xxxx.yy.zz in nibbles; the patch is left out when zero. */
  static String version(int packed) {
    int major = packed >>> 16;
    int minor = (packed >> 8) & 0xff;
    int patch = packed & 0xff;
    return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
  }

  private static void check(long needed, long available, String what) throws MachOFormatException {
    if (needed < 0 || needed > available) {
      throw new MachOFormatException(what + " runs past the end of the file");
    }
  }

  private static byte[] head(byte[] file) {
    return java.util.Arrays.copyOf(file, Math.min(file.length, BinaryKind.HEAD_BYTES));
  }
}
