package dev.dala.ota.server.auth;

import java.time.Instant;
import java.util.UUID;

/** Request and response bodies for API tokens. */
public final class TokenViews {

  private TokenViews() {}

  public record CreateToken(String name, String role) {}

  /** A token as listed: never its secret. */
  public record Token(UUID id, String name, String role, String prefix, Instant createdAt, Instant revokedAt) {
    static Token of(ApiTokenEntity e) {
      return new Token(e.id, e.name, e.role, e.tokenPrefix, e.createdAt, e.revokedAt);
    }
  }

  /** A new token: the only time its secret is shown. */
  public record NewToken(UUID id, String name, String role, String token) {}
}
