package dev.dala.ota.server.org;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An app, named by the id its manifests carry (such as com.example.app). */
@Entity
@Table(name = "app")
public class AppEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  @Column(name = "organisation_id")
  public UUID organisationId;

  public String name;

  @Column(name = "last_sequence")
  public long lastSequence;

  @Column(name = "created_at")
  public Instant createdAt;
}
