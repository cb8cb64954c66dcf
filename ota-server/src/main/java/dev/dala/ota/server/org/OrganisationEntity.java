package dev.dala.ota.server.org;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant: everything an admin token reaches belongs to one organisation. */
@Entity
@Table(name = "organisation")
public class OrganisationEntity extends PanacheEntityBase {
  @Id
  public UUID id;

  public String slug;
  public String name;

  @Column(name = "created_at")
  public Instant createdAt;
}
