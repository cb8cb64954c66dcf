package dev.dala.ota.server.dist;

import dev.dala.ota.signer.session.SessionCookie;
import java.util.Objects;

/**
 * The gate's answer to a connecting node's name: the session's cookie and whatever the gate
 * needs to claim it later, or a refusal.
 */
public final class Admission {

  private final SessionCookie cookie;
  private final Object session;

  private Admission(SessionCookie cookie, Object session) {
    this.cookie = cookie;
    this.session = session;
  }

  /** The node may try its cookie. */
  public static Admission of(SessionCookie cookie, Object session) {
    return new Admission(Objects.requireNonNull(cookie, "cookie"), Objects.requireNonNull(session, "session"));
  }

  /** No open session has this name: unknown, expired or already used. */
  public static Admission refused() {
    return new Admission(null, null);
  }

  public boolean admitted() {
    return cookie != null;
  }

  public SessionCookie cookie() {
    return cookie;
  }

  public Object session() {
    return session;
  }

  @Override
  public String toString() {
    return admitted() ? "Admission[admitted]" : "Admission[refused]";
  }
}
