package dev.dala.ota.server.org;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A channel of an app (production, beta, …); devices name it by its key. */
@Entity
@Table(name = "channel")
public class ChannelEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "app_id")
  public UUID appId;

  public String name;

  @Column(name = "channel_key")
  public String channelKey;

  @Column(name = "created_at")
  public Instant createdAt;
}
