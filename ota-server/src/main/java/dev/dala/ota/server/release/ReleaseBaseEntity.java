package dev.dala.ota.server.release;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** A base a release may run on. */
@Entity
@Table(name = "release_base")
@IdClass(ReleaseBaseEntity.Key.class)
public class ReleaseBaseEntity extends PanacheEntityBase {
  @Id
  @Column(name = "release_id")
  public UUID releaseId;

  @Id
  @Column(name = "base_release_id")
  public UUID baseReleaseId;

  /** The composite key. */
  public static class Key implements Serializable {
    public UUID releaseId;
    public UUID baseReleaseId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(k.releaseId, releaseId) && Objects.equals(k.baseReleaseId, baseReleaseId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(releaseId, baseReleaseId);
    }
  }
}
