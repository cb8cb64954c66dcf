package dev.dala.ota.server.error;

import java.util.Locale;

/**
 * The one catalogue of errors the HTTP API returns. Each becomes RFC 9457 problem+json whose
 * {@code type} is the stable lower-case code.
 */
public enum ErrorCode {
  UNAUTHENTICATED(401, "Missing or unknown API token"),
  FORBIDDEN(403, "The token's role does not allow this"),
  NOT_FOUND(404, "No such resource"),
  APP_NOT_FOUND(404, "No such app"),
  CHANNEL_NOT_FOUND(404, "No such channel"),
  RELEASE_NOT_FOUND(404, "No such release"),
  DEPLOYMENT_NOT_FOUND(404, "No such deployment"),
  DEVICE_NOT_FOUND(404, "No such device"),
  TOKEN_NOT_FOUND(404, "No such token"),
  BASE_NOT_FOUND(404, "No such base release"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  VALIDATION_FAILED(400, "The request is invalid"),
  MALFORMED_BODY(400, "The request body cannot be read"),
  MALFORMED_BUNDLE(400, "The upload is not a bundle file"),
  PAYLOAD_TOO_LARGE(413, "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  BUNDLE_REJECTED(422, "The bundle cannot be published"),
  INVALID_MODULE(422, "A module is not a loadable .beam"),
  RESERVED_MODULE(422, "A module belongs to OTP, Elixir or the update agent"),
  NO_COMPATIBLE_BASE(422, "No registered base can run the bundle"),
  APP_MISMATCH(422, "The bundle is for another app"),
  CONFLICT(409, "The resource already exists"),
  INVALID_STATE(409, "The resource is not in a state that allows this"),
  RANGE_NOT_SATISFIABLE(416, "Range not satisfiable"),
  RATE_LIMITED(429, "Too many requests"),
  SIGNING_UNAVAILABLE(503, "The server has no valid signing key for this"),
  INTERNAL(500, "Internal error");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The stable code, such as {@code reserved_module}; the problem's {@code type}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
