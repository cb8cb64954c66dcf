package dev.dala.ota.server.auth;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import jakarta.enterprise.context.RequestScoped;

/** Holds the authenticated caller for the current request. */
@RequestScoped
public class CallerContext {

  private Caller caller;

  void set(Caller value) {
    caller = value;
  }

  /** The caller; only admin endpoints, which the filter has authenticated, may ask. */
  public Caller get() {
    if (caller == null) {
      throw new OtaException(ErrorCode.UNAUTHENTICATED, "no authenticated caller");
    }
    return caller;
  }
}
