package dev.dala.ota.signer.manifest;

import java.util.Objects;

/**
 * A native base build a release may run on: its platform ({@code ios}, {@code android}), OTP
 * release ({@code "29"}) and base fingerprint id.
 */
public record CompatibleBase(String platform, String otpRelease, String fingerprint) {

  public CompatibleBase {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(otpRelease, "otpRelease");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** Parses {@code platform:otp:fingerprint}, the form the CLI takes. */
  public static CompatibleBase parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException("a base is PLATFORM:OTP_RELEASE:FINGERPRINT, got '" + text + "'");
    }
    return new CompatibleBase(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return platform + ":" + otpRelease + ":" + fingerprint;
  }
}
