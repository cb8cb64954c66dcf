package dev.dala.ota.server.auth;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API tokens of the caller's organisation. Secrets are shown once and stored only as hashes. */
@ApplicationScoped
public class TokenService {

  @Inject
  AuditLog audit;

  @WithSession
  public Uni<List<ApiTokenEntity>> list(Caller caller) {
    return ApiTokenEntity.list("organisationId = ?1 order by createdAt", caller.organisationId());
  }

  @WithTransaction
  public Uni<TokenViews.NewToken> create(Caller caller, TokenViews.CreateToken request) {
    Validation.body(request);
    Role role = Role.parse(request.role());
    new Validation().name(request.name(), "name")
        .require(role != null, "role", "must be admin, publisher or viewer").orThrow();
    String secret = TokenSecrets.generate();
    ApiTokenEntity token = newToken(caller.organisationId(), request.name(), role, secret);
    return token.<ApiTokenEntity>persist()
        .call(t -> audit.record(caller.organisationId(), caller.actor(), "token.create", "token", t.id.toString(),
            null, TokenViews.Token.of(t)))
        .map(t -> new TokenViews.NewToken(t.id, t.name, t.role, secret));
  }

  @WithTransaction
  public Uni<ApiTokenEntity> revoke(Caller caller, UUID id) {
    return ApiTokenEntity.<ApiTokenEntity>find("id = ?1 and organisationId = ?2", id, caller.organisationId())
        .firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.TOKEN_NOT_FOUND, "token " + id))
        .flatMap(token -> {
          TokenViews.Token before = TokenViews.Token.of(token);
          if (token.revokedAt == null) {
            token.revokedAt = Instant.now();
          }
          return audit.record(caller.organisationId(), caller.actor(), "token.revoke", "token", id.toString(),
              before, TokenViews.Token.of(token)).replaceWith(token);
        });
  }

  /** A token row for {@code secret}; used here and by first-run bootstrap. */
  public static ApiTokenEntity newToken(UUID organisationId, String name, Role role, String secret) {
    ApiTokenEntity token = new ApiTokenEntity();
    token.id = UUID.randomUUID();
    token.organisationId = organisationId;
    token.name = name;
    token.role = role.code();
    token.tokenHash = TokenSecrets.hash(secret);
    token.tokenPrefix = TokenSecrets.displayPrefix(secret);
    token.createdAt = Instant.now();
    return token;
  }
}
