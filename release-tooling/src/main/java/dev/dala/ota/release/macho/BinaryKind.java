package dev.dala.ota.release.macho;

/**
 * What a file is, told by its first bytes: the kinds of binary the App Store refuses to find
 * anywhere but as a bundle's executable, or something else.
 */
public enum BinaryKind {
  /** A thin Mach-O: an executable, dylib, bundle or object file. */
  MACH_O,
  /** A universal (fat) Mach-O holding several architectures. */
  MACH_O_UNIVERSAL,
  /** A static library ({@code ar} archive, as {@code .a} files are). */
  AR_ARCHIVE,
  /** An ELF binary (a Linux or Android {@code .so} or executable). */
  ELF,
  /** Anything else: data, text, .beam files. */
  OTHER;

  /** The number of leading bytes {@link #of(byte[])} needs. */
  public static final int HEAD_BYTES = 8;

  public static BinaryKind of(byte[] head) {
    if (head.length < 4) {
      return OTHER;
    }
    int be = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
    switch (be) {
      case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe:
        return MACH_O;
      case 0xcafebabe, 0xcafebabf:
        // Java class files share this magic; there the next word is a class-file version >= 45,
        // while a universal binary has a handful of architectures.
        if (head.length >= 8) {
          int next = ((head[4] & 0xff) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
          return next > 0 && next < 45 ? MACH_O_UNIVERSAL : OTHER;
        }
        return OTHER;
      case 0x7f454c46:
        return ELF;
      default:
        break;
    }
    if (head.length >= 8 && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("!<arch>\n")) {
      return AR_ARCHIVE;
    }
    return OTHER;
  }

  /** Whether the App Store counts it as code (error 90171 when it is not a bundle's executable). */
  public boolean isBinary() {
    return this != OTHER;
  }

  public boolean isMachO() {
    return this == MACH_O || this == MACH_O_UNIVERSAL;
  }
}
