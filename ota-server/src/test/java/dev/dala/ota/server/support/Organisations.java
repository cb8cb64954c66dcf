package dev.dala.ota.server.support;

import dev.dala.ota.server.auth.TokenSecrets;
import java.util.UUID;

/** Makes organisations and tokens directly, for tests that need a second tenant or role. */
public final class Organisations {

  private Organisations() {}

  /** A new organisation with one token of {@code role}; returns the token. */
  public static String createWithToken(String role) {
    UUID org = UUID.randomUUID();
    Database.execute("insert into organisation (id, slug, name) values (?1, ?2, ?2)", org, "org-" + org);
    return tokenFor(org, role);
  }

  /** A token of {@code role} in the organisation the server bootstrapped. */
  public static String bootstrapOrgToken(String role) {
    UUID org = (UUID) Database.column("select organisation_id from api_token where name = 'bootstrap-admin'").get(0);
    return tokenFor(org, role);
  }

  private static String tokenFor(UUID org, String role) {
    String secret = TokenSecrets.generate();
    Database.execute("insert into api_token (id, organisation_id, name, role, token_hash, token_prefix)"
        + " values (?1, ?2, ?3, ?4, ?5, ?6)", UUID.randomUUID(), org, role + "-test", role, TokenSecrets.hash(secret),
        TokenSecrets.displayPrefix(secret));
    return secret;
  }
}
