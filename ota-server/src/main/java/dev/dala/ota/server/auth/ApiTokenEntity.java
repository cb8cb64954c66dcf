package dev.dala.ota.server.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API token row. The token itself is never stored, only its SHA-256. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "organisation_id")
  public UUID organisationId;

  public String name;
  public String role;

  @Column(name = "token_hash")
  public byte[] tokenHash;

  @Column(name = "token_prefix")
  public String tokenPrefix;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "last_used_at")
  public Instant lastUsedAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
