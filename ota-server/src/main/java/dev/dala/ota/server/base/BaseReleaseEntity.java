package dev.dala.ota.server.base;

import dev.dala.ota.signer.base.BaseFingerprint;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
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

  public BaseFingerprint toFingerprint() {
    return new BaseFingerprint(platform, otpRelease, ertsVersion, elixirVersion,
        new TreeSet<>(Arrays.asList(staticNifs)), new java.util.TreeMap<>(moduleMd5s));
  }

  public int otpReleaseNumber() {
    return Integer.parseInt(otpRelease);
  }
}
