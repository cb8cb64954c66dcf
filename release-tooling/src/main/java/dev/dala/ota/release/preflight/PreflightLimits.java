package dev.dala.ota.release.preflight;

import dev.dala.ota.release.zip.ZipLimits;
import java.util.Objects;

/**
 * The limits and thresholds preflight applies.
 *
 * @param otpBudgetBytes the most bytes the IPA's otp/ tree may hold
 * @param minimumOs the lowest deployment target accepted (Xcode 15 and later build nothing older)
 * @param maxExecutableBytes the largest main executable that is read for the selector scan
 */
public record PreflightLimits(ZipLimits zip, long otpBudgetBytes, String minimumOs, long maxExecutableBytes) {

  public static final long DEFAULT_OTP_BUDGET = 50L << 20;
  public static final PreflightLimits DEFAULT =
      new PreflightLimits(ZipLimits.DEFAULT, DEFAULT_OTP_BUDGET, "12.0", 1L << 30);

  public PreflightLimits {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(minimumOs, "minimumOs");
    if (otpBudgetBytes < 1 || maxExecutableBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public PreflightLimits withZip(ZipLimits value) {
    return new PreflightLimits(value, otpBudgetBytes, minimumOs, maxExecutableBytes);
  }

  public PreflightLimits withOtpBudget(long bytes) {
    return new PreflightLimits(zip, bytes, minimumOs, maxExecutableBytes);
  }
}
