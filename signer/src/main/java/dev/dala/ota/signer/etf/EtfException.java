package dev.dala.ota.signer.etf;

import java.util.Objects;

/** Bytes that are not acceptable External Term Format, with what is wrong and where. */
public final class EtfException extends Exception {

  private final EtfError error;
  private final long offset;

  public EtfException(EtfError error, long offset, String detail) {
    super(error + " at byte " + offset + ": " + detail);
    this.error = Objects.requireNonNull(error, "error");
    this.offset = offset;
  }

  public EtfError error() {
    return error;
  }

  /** The byte offset in the input where the problem was found. */
  public long offset() {
    return offset;
  }
}
