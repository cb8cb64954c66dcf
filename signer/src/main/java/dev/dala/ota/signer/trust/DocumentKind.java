package dev.dala.ota.signer.trust;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a signed document is. The kind is part of what gets signed, so a signature over one kind
 * of document can never be passed off as a signature over another.
 */
public enum DocumentKind {
  ROOT("root"),
  ROLE_CERTIFICATE("role_certificate"),
  REVOCATION_LIST("revocation_list"),
  MANIFEST("manifest"),
  CHECKIN_RESPONSE("checkin_response");

  private final String atom;

  DocumentKind(String atom) {
    this.atom = atom;
  }

  /** The atom that names this kind in the document's term. */
  public String atom() {
    return atom;
  }

  public static DocumentKind fromAtom(String atom) {
    for (DocumentKind kind : values()) {
      if (kind.atom.equals(atom)) {
        return kind;
      }
    }
    return null;
  }

  /**
   * The exact bytes an Ed25519 signature covers: {@code "dala-ota/v1/" ++ kind ++ <<0>> ++ payload}.
   */
  public byte[] signingInput(byte[] payload) {
    byte[] prefix = ("dala-ota/v1/" + atom).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 1 + payload.length);
    out.writeBytes(prefix);
    out.write(0);
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
