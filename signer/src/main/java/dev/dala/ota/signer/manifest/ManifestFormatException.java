package dev.dala.ota.signer.manifest;

/** Manifest bytes that do not follow the manifest schema. */
public final class ManifestFormatException extends Exception {

  public ManifestFormatException(String message) {
    super(message);
  }
}
