package dev.dala.ota.server.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One admin action: who did what to which thing, and its state before and after. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "organisation_id")
  public UUID organisationId;

  public String actor;
  public String action;

  @Column(name = "target_type")
  public String targetType;

  @Column(name = "target_id")
  public String targetId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "before_state")
  public Map<String, Object> beforeState;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "after_state")
  public Map<String, Object> afterState;

  @Column(name = "created_at")
  public Instant createdAt;
}
