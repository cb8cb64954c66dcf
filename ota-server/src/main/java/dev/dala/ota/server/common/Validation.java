package dev.dala.ota.server.common;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects every invalid field of a request, then fails once with all of them. */
public final class Validation {

  /** Names of apps, channels and tokens: letters, digits, dots, dashes and underscores. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final List<OtaException.Detail> problems = new ArrayList<>();

  public Validation require(boolean ok, String field, String message) {
    if (!ok) {
      problems.add(new OtaException.Detail("invalid_field", field, message));
    }
    return this;
  }

  public Validation name(String value, String field) {
    return require(value != null && NAME.matcher(value).matches(), field,
        "must be 1-128 letters, digits, '.', '-' or '_', starting with a letter or digit");
  }

  public Validation notNull(Object value, String field) {
    return require(value != null, field, "is required");
  }

  public void orThrow() {
    if (!problems.isEmpty()) {
      throw new OtaException(ErrorCode.VALIDATION_FAILED,
          problems.size() == 1 ? problems.get(0).subject() + " " + problems.get(0).detail()
              : problems.size() + " fields are invalid", problems);
    }
  }

  /** Throws {@code VALIDATION_FAILED} for a missing body. */
  public static <T> T body(T body) {
    if (body == null) {
      throw new OtaException(ErrorCode.MALFORMED_BODY, "a JSON body is required");
    }
    return body;
  }
}
