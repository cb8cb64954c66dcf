package dev.dala.ota.signer.keys;

/** A PEM file that does not hold the Ed25519 key it should. */
public final class KeyFormatException extends Exception {

  /** What is wrong with the input. */
  public enum Reason {
    NOT_PEM,
    WRONG_PEM_TYPE,
    NOT_ED25519,
    MALFORMED_KEY
  }

  private final Reason reason;

  public KeyFormatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
