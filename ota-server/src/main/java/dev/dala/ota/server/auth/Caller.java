package dev.dala.ota.server.auth;

import java.util.UUID;

/** Who is calling the admin API: the token's organisation, id, name and role. */
public record Caller(UUID organisationId, UUID tokenId, String tokenName, Role role) {

  /** How the audit log names this caller. */
  public String actor() {
    return "token:" + tokenName + " (" + tokenId + ")";
  }
}
