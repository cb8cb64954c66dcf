package dev.dala.ota.signer.manifest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One module of a release: its name, the SHA-256 and size of the exact bytes shipped, and
 * the MD5 {@code beam_lib:md5/1} reports for them, which is what {@code Mod:module_info(md5)}
 * answers once it is loaded.
 */
public record ManifestModule(String name, byte[] sha256, long size, byte[] beamMd5) {

  /** Name order as Erlang compares the names' UTF-8 binaries, byte by byte. */
  public static final java.util.Comparator<ManifestModule> BY_NAME =
      (a, b) -> Arrays.compareUnsigned(utf8(a.name), utf8(b.name));

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public ManifestModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(beamMd5, "beamMd5");
    if (sha256.length != 32 || beamMd5.length != 16 || size < 0) {
      throw new IllegalArgumentException("a module needs a 32-byte SHA-256, a 16-byte MD5 and a size");
    }
    sha256 = sha256.clone();
    beamMd5 = beamMd5.clone();
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public byte[] beamMd5() {
    return beamMd5.clone();
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }

  public String beamMd5Hex() {
    return HexFormat.of().formatHex(beamMd5);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ManifestModule m && m.name.equals(name) && m.size == size
        && Arrays.equals(m.sha256, sha256) && Arrays.equals(m.beamMd5, beamMd5);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, size) * 31 + Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return name + " (" + size + " bytes, sha256 " + sha256Hex().substring(0, 16) + ")";
  }
}
