package dev.dala.ota.server.dist.internal;

import dev.dala.ota.server.dist.DistObserver.Closure;

/** The peer broke the framing rules; the connection closes with {@link #closure()}. */
public final class ProtocolViolation extends Exception {

  private final Closure closure;

  public ProtocolViolation(Closure closure, String detail) {
    super(detail, null, false, false);
    this.closure = closure;
  }

  public Closure closure() {
    return closure;
  }
}
