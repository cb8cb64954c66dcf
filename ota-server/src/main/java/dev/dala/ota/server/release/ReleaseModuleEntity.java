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

/** One module of a release, by name and content hash. */
@Entity
@Table(name = "release_module")
@IdClass(ReleaseModuleEntity.Key.class)
public class ReleaseModuleEntity extends PanacheEntityBase {
  @Id
  @Column(name = "release_id")
  public UUID releaseId;

  @Id
  public String name;

  public String sha256;

  /** The composite key. */
  public static class Key implements Serializable {
    public UUID releaseId;
    public String name;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(k.releaseId, releaseId) && Objects.equals(k.name, name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(releaseId, name);
    }
  }
}
