package dev.dala.ota.server.base;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered native base build. */
@Entity
@Table(name = "base_release")
public class BaseReleaseEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "app_id")
  public UUID appId;

  public String platform;

  @Column(name = "otp_release")
  public String otpRelease;

  @Column(name = "erts_version")
  public String ertsVersion;

  @Column(name = "elixir_version")
  public String elixirVersion;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "static_nifs")
  public String[] staticNifs;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "module_md5s")
  public Map<String, String> moduleMd5s;

  public String fingerprint;

  @Column(name = "created_at")
  public Instant createdAt;

  /** The app's bases, oldest first; needs an open session. */
  public static Uni<List<BaseReleaseEntity>> ofApp(UUID appId) {
    return BaseReleaseEntity.list("appId = ?1 order by createdAt", appId);
  }

  /** The app's base with this fingerprint id, or null; needs an open session. */
  public static Uni<BaseReleaseEntity> byFingerprint(UUID appId, String fingerprint) {
    return BaseReleaseEntity.<BaseReleaseEntity>find("appId = ?1 and fingerprint = ?2", appId, fingerprint)
        .firstResult();
  }

  public int otpReleaseNumber() {
    return Integer.parseInt(otpRelease);
  }
}
