package dev.dala.ota.server.release;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A signed release: its sequence, label, signed manifest envelope and stored bundle. */
@Entity
@Table(name = "release")
public class ReleaseEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "app_id")
  public UUID appId;

  public long sequence;
  public String label;

  /** {@code publish}, or {@code rollback} for earlier content republished under a new sequence. */
  public String kind;

  @Column(name = "content_hash")
  public String contentHash;

  @Column(name = "apply_mode")
  public String applyMode;

  @Column(name = "min_agent_version")
  public String minAgentVersion;

  public byte[] envelope;

  @Column(name = "bundle_key")
  public String bundleKey;

  @Column(name = "bundle_sha256")
  public String bundleSha256;

  @Column(name = "bundle_size")
  public long bundleSize;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "republished_from")
  public UUID republishedFrom;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public Instant createdAt;
}
