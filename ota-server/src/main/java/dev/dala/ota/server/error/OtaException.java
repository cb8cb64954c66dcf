package dev.dala.ota.server.error;

import java.util.List;
import java.util.Objects;

/** A failure with a catalogued code, a detail for the caller, and optionally one entry per sub-problem. */
public final class OtaException extends RuntimeException {

  /** One of several problems reported together, such as one bad module among many. */
  public record Detail(String code, String subject, String detail) {}

  private final ErrorCode code;
  private final List<Detail> details;

  public OtaException(ErrorCode code, String detail) {
    this(code, detail, List.of());
  }

  public OtaException(ErrorCode code, String detail, List<Detail> details) {
    super(detail, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.details = List.copyOf(details);
  }

  public ErrorCode code() {
    return code;
  }

  public List<Detail> details() {
    return details;
  }

  public static OtaException notFound(ErrorCode code, String what) {
    return new OtaException(code, what + " does not exist");
  }
}
