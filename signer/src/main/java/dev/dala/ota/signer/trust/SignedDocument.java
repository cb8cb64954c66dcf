package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.SigningKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one container every signed thing travels in:
 * {@code {dala_ota_signed, 1, Kind, Payload, [{KeyId, Signature}], Chain}}.
 *
 * <p>{@code Payload} is the document's own term, already encoded, so a verifier checks the
 * signatures over those exact bytes before it decodes them. {@code Chain} holds what links the
 * signer to a pinned root: root documents in ascending version, then the signer's role
 * certificate. Documents inside a chain carry no chain of their own.
 */
public record SignedDocument(
    DocumentKind kind, byte[] payload, List<DocumentSignature> signatures, List<SignedDocument> chain) {

  public static final int FORMAT = 1;
  /** The largest encoded document accepted, chain included. Manifests of 10,000 modules fit. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  public static final int MAX_SIGNATURES = 4;
  public static final int MAX_CHAIN = 32;

  private static final ErlAtom TAG = ErlAtom.of("dala_ota_signed");
  private static final EtfLimits LIMITS = EtfLimits.DEFAULT.withMaxDepth(8).withMaxTerms(4 * (MAX_SIGNATURES + MAX_CHAIN) + 16);

  public SignedDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
    signatures = List.copyOf(signatures);
    chain = List.copyOf(chain);
    payload = payload.clone();
  }

  /** Signs {@code payload} as a document of {@code kind} with each of {@code keys}. */
  public static SignedDocument sign(DocumentKind kind, byte[] payload, List<SigningKey> keys, List<SignedDocument> chain) {
    byte[] input = kind.signingInput(payload);
    List<DocumentSignature> signatures = new ArrayList<>();
    for (SigningKey key : keys) {
      signatures.add(new DocumentSignature(key.keyId(), key.sign(input)));
    }
    return new SignedDocument(kind, payload, signatures, chain);
  }

  /** A document without signatures: the draft form that a server signs later. */
  public static SignedDocument unsigned(DocumentKind kind, byte[] payload) {
    return new SignedDocument(kind, payload, List.of(), List.of());
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload bytes without a copy, for verifiers that only read them. */
  byte[] payloadView() {
    return payload;
  }

  public byte[] encode() {
    List<ErlTerm> sigs = new ArrayList<>();
    for (DocumentSignature s : signatures) {
      sigs.add(ErlTuple.of(ErlBinary.utf8(s.keyId().hex()), new ErlBinary(s.signature())));
    }
    List<ErlTerm> links = new ArrayList<>();
    for (SignedDocument d : chain) {
      links.add(new ErlBinary(d.encode()));
    }
    return EtfEncoder.encode(ErlTuple.of(TAG, ErlInteger.of(FORMAT), ErlAtom.of(kind.atom()),
        new ErlBinary(payload), ErlList.of(sigs), ErlList.of(links)));
  }

  /** Reads a document; it must be in canonical form and within the size limits. */
  public static SignedDocument decode(byte[] bytes) throws DocumentFormatException {
    return decode(bytes, true);
  }

  private static SignedDocument decode(byte[] bytes, boolean allowChain) throws DocumentFormatException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_BYTES) {
      throw new DocumentFormatException("document of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    ErlTerm term;
    try {
      term = EtfDecoder.decodeCanonical(bytes, LIMITS);
    } catch (EtfException e) {
      throw new DocumentFormatException("not a canonical term: " + e.getMessage());
    }
    if (!(term instanceof ErlTuple t) || t.arity() != 6 || !TAG.equals(t.get(0))) {
      throw new DocumentFormatException("not a {dala_ota_signed, ...} tuple of six");
    }
    if (!(t.get(1) instanceof ErlInteger format) || !format.equals(ErlInteger.of(FORMAT))) {
      throw new DocumentFormatException("unsupported document format " + t.get(1));
    }
    DocumentKind kind = t.get(2) instanceof ErlAtom a ? DocumentKind.fromAtom(a.name()) : null;
    if (kind == null) {
      throw new DocumentFormatException("unknown document kind " + t.get(2));
    }
    if (!(t.get(3) instanceof ErlBinary payload)) {
      throw new DocumentFormatException("payload is not a binary");
    }
    List<DocumentSignature> signatures = signatures(t.get(4));
    List<SignedDocument> chain = new ArrayList<>();
    for (ErlTerm link : list(t.get(5), MAX_CHAIN, "chain")) {
      if (!allowChain) {
        throw new DocumentFormatException("a document inside a chain has a chain of its own");
      }
      if (!(link instanceof ErlBinary b)) {
        throw new DocumentFormatException("chain element is not a binary");
      }
      chain.add(decode(b.bytes(), false));
    }
    return new SignedDocument(kind, payload.bytes(), signatures, chain);
  }

  private static List<DocumentSignature> signatures(ErlTerm term) throws DocumentFormatException {
    List<DocumentSignature> signatures = new ArrayList<>();
    for (ErlTerm element : list(term, MAX_SIGNATURES, "signatures")) {
      if (!(element instanceof ErlTuple s) || s.arity() != 2
          || !(s.get(0) instanceof ErlBinary id) || !(s.get(1) instanceof ErlBinary sig)) {
        throw new DocumentFormatException("signature is not {KeyId, Signature}");
      }
      KeyId keyId = KeyId.parseOrNull(id.utf8());
      if (keyId == null) {
        throw new DocumentFormatException("signature key id is not 64 hex digits");
      }
      signatures.add(new DocumentSignature(keyId, sig.bytes()));
    }
    return signatures;
  }

  private static List<ErlTerm> list(ErlTerm term, int max, String what) throws DocumentFormatException {
    if (!(term instanceof ErlList l) || !l.isProper()) {
      throw new DocumentFormatException(what + " is not a proper list");
    }
    if (l.elements().size() > max) {
      throw new DocumentFormatException(what + " holds more than " + max + " entries");
    }
    return l.elements();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedDocument d && d.kind == kind && Arrays.equals(d.payload, payload)
        && d.signatures.equals(signatures) && d.chain.equals(chain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, signatures, chain) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "SignedDocument[" + kind.atom() + ", " + payload.length + " bytes, " + signatures.size() + " signatures, chain of " + chain.size() + "]";
  }
}
