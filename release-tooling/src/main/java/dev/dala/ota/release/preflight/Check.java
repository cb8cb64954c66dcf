package dev.dala.ota.release.preflight;

import java.util.Locale;

/**
 * Everything preflight checks, with a stable code and, where the store has one, the code App
 * Store Connect reports for the same problem (ITMS-90171 and so on). docs/release.md explains
 * each.
 */
public enum Check {
  // IPA: the four groups that made App Store Connect reject Dala builds.
  STANDALONE_BINARY("90171"),
  OTP_MACH_O("90171"),
  PRIVATE_SELECTOR("50"),
  MINIMUM_OS_VERSION("90065"),
  DT_PLATFORM_NAME("90507"),
  DEPLOYMENT_TARGET("90530"),
  CODE_RESOURCES_LINK("90071"),
  // IPA: other Info.plist keys the store requires.
  SUPPORTED_PLATFORMS("90562"),
  DEVICE_FAMILY("90102"),
  BUILD_NUMBER(null),
  BUNDLE_IDENTIFIER(null),
  // IPA: what this tooling guarantees on top.
  OTP_OVER_BUDGET(null),
  INFO_PLIST(null),
  MAIN_EXECUTABLE(null),
  NOT_SIGNED(null),
  PROVISIONING_PROFILE(null),
  // APK.
  SIGNATURE(null),
  V1_SIGNATURE(null),
  V2_SIGNATURE(null),
  V3_SIGNATURE(null),
  ENTRY_ALIGNMENT(null),
  NATIVE_LIBRARY_ALIGNMENT(null),
  NATIVE_LIBRARY_COMPRESSED(null),
  // Both: the agent config a base must carry.
  AGENT_CONFIG(null),
  PINNED_ROOT(null),
  BASE_FINGERPRINT(null),
  // Both: the file itself.
  NOT_AN_APP(null);

  private final String storeCode;

  Check(String storeCode) {
    this.storeCode = storeCode;
  }

  /** The stable code, such as {@code standalone_binary}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** App Store Connect's code for this problem, or null when the store has none. */
  public String storeCode() {
    return storeCode;
  }
}
