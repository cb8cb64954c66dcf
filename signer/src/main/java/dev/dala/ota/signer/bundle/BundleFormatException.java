package dev.dala.ota.signer.bundle;

/** Bytes that are not a bundle file, or one that breaks a limit. */
public final class BundleFormatException extends Exception {

  public BundleFormatException(String message) {
    super(message);
  }
}
