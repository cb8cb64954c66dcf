package dev.dala.ota.server.device;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Something that happened to a release on a device: offered, downloaded, applied, confirmed, failed, rolled back. */
@Entity
@Table(name = "install_event")
public class InstallEventEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "app_id")
  public UUID appId;

  @Column(name = "device_id")
  public UUID deviceId;

  @Column(name = "release_id")
  public UUID releaseId;

  @Column(name = "deployment_id")
  public UUID deploymentId;

  public Integer wave;
  public String kind;
  public String reason;
  public Long bytes;

  @Column(name = "created_at")
  public Instant createdAt;
}
