package dev.dala.ota.server.device;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An installation of an app, as its check-ins describe it. */
@Entity
@Table(name = "device")
public class DeviceEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "app_id")
  public UUID appId;

  @Column(name = "install_id")
  public String installId;

  @Column(name = "channel_id")
  public UUID channelId;

  public String platform;

  @Column(name = "base_fingerprint")
  public String baseFingerprint;

  @Column(name = "otp_release")
  public String otpRelease;

  @Column(name = "current_sequence")
  public long currentSequence;

  @Column(name = "agent_version")
  public String agentVersion;

  @JdbcTypeCode(SqlTypes.ARRAY)
  public String[] tags;

  @Column(name = "first_seen")
  public Instant firstSeen;

  @Column(name = "last_seen")
  public Instant lastSeen;

  /** The app's device with this install id, or null; needs an open session. */
  public static Uni<DeviceEntity> byInstallId(UUID appId, String installId) {
    return DeviceEntity.<DeviceEntity>find("appId = ?1 and installId = ?2", appId, installId).firstResult();
  }
}
