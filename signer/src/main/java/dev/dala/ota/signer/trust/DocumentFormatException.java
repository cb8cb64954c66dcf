package dev.dala.ota.signer.trust;

/** Bytes that are not a well-formed signed document, or a payload that breaks its schema. */
public final class DocumentFormatException extends Exception {

  public DocumentFormatException(String message) {
    super(message);
  }
}
