package dev.dala.ota.signer.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/** One module's bytes in a bundle file, under the name the manifest lists it by. */
public record BundleModule(String name, byte[] bytes) {

  public BundleModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bytes, "bytes");
  }

  public byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BundleModule m && m.name.equals(name) && Arrays.equals(m.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return name + " (" + bytes.length + " bytes)";
  }
}
