package dev.dala.ota.server.release;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A module's bytes in object storage, stored once by their SHA-256. */
@Entity
@Table(name = "module_blob")
public class ModuleBlobEntity extends PanacheEntityBase {
  @Id
  public String sha256;

  public long size;

  @Column(name = "beam_md5")
  public String beamMd5;

  @Column(name = "module_name")
  public String moduleName;

  @Column(name = "storage_key")
  public String storageKey;

  @Column(name = "created_at")
  public Instant createdAt;

  public static String storageKey(String sha256) {
    return "modules/" + sha256;
  }
}
