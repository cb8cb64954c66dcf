package dev.dala.ota.release.ipa;

/** A provisioning profile that cannot be read or trusted as it is. */
public final class ProfileException extends Exception {
  public ProfileException(String message) {
    super(message);
  }
}
