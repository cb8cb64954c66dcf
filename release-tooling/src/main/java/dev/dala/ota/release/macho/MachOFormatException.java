package dev.dala.ota.release.macho;

/** A file that is not a well-formed Mach-O. */
public final class MachOFormatException extends Exception {
  public MachOFormatException(String message) {
    super(message);
  }
}
