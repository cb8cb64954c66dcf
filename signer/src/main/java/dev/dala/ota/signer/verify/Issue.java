package dev.dala.ota.signer.verify;

import java.util.Locale;

/**
 * Every problem a verification can report, with a stable lower-case code. The Java, Elixir and
 * C verifiers and the shared test vectors all use these codes.
 */
public enum Issue {
  // The document container and the trust chain.
  MALFORMED_DOCUMENT,
  WRONG_DOCUMENT_KIND,
  ROOT_NOT_PINNED,
  ROOT_CHAIN_BROKEN,
  CERTIFICATE_MISSING,
  CERTIFICATE_NOT_TRUSTED,
  WRONG_ROLE,
  ROLE_KEY_EXPIRED,
  ROLE_KEY_NOT_YET_VALID,
  ROLE_KEY_REVOKED,
  REVOCATION_LIST_INVALID,
  SIGNER_NOT_CERTIFIED,
  SIGNATURE_INVALID,
  UNSIGNED,
  // The manifest against the device.
  MALFORMED_MANIFEST,
  APP_MISMATCH,
  SEQUENCE_NOT_HIGHER,
  MANIFEST_EXPIRED,
  MANIFEST_NOT_YET_VALID,
  BASE_INCOMPATIBLE,
  AGENT_TOO_OLD,
  // The bundle's modules against the manifest.
  MALFORMED_BUNDLE,
  MODULE_MISSING,
  MODULE_UNEXPECTED,
  MODULE_SIZE_MISMATCH,
  MODULE_HASH_MISMATCH;

  /** The stable code, such as {@code signature_invalid}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The issue with this code, or null. */
  public static Issue fromCode(String code) {
    for (Issue issue : values()) {
      if (issue.code().equals(code)) {
        return issue;
      }
    }
    return null;
  }
}
