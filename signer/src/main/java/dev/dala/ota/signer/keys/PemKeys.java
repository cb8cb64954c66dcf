package dev.dala.ota.signer.keys;

import dev.dala.ota.signer.keys.KeyFormatException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM for Ed25519 keys: PKCS#8 ({@code PRIVATE KEY}) for private keys and SubjectPublicKeyInfo
 * ({@code PUBLIC KEY}) for public keys, the forms OpenSSL reads and writes.
 */
public final class PemKeys {

  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";

  private PemKeys() {}

  public static String writeSigningKey(SigningKey key) {
    try {
      // PKCS#8 version 1 with only the seed, as OpenSSL writes it: OpenSSL 3.0 refuses the
      // RFC 5958 form with the public key attached, which is BouncyCastle's default.
      PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
          new DEROctetString(key.parameters().getEncoded()));
      return pem(PRIVATE, info.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeVerifyingKey(VerifyingKey key) {
    try {
      SubjectPublicKeyInfo info =
          SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new Ed25519PublicKeyParameters(key.raw(), 0));
      return pem(PUBLIC, info.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SigningKey readSigningKey(String pem) throws KeyFormatException {
    byte[] der = der(pem, PRIVATE);
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyFormatException(Reason.MALFORMED_KEY, "not a PKCS#8 private key");
    }
    if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
      throw new KeyFormatException(Reason.NOT_ED25519, "the private key is not Ed25519");
    }
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(Reason.MALFORMED_KEY, "the Ed25519 private key is malformed");
    }
    return new SigningKey((Ed25519PrivateKeyParameters) key);
  }

  public static VerifyingKey readVerifyingKey(String pem) throws KeyFormatException {
    byte[] der = der(pem, PUBLIC);
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyFormatException(Reason.MALFORMED_KEY, "not a SubjectPublicKeyInfo public key");
    }
    if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
      throw new KeyFormatException(Reason.NOT_ED25519, "the public key is not Ed25519");
    }
    try {
      Ed25519PublicKeyParameters key = (Ed25519PublicKeyParameters) PublicKeyFactory.createKey(info);
      return VerifyingKey.fromRaw(key.getEncoded());
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(Reason.MALFORMED_KEY, "the Ed25519 public key is malformed");
    }
  }

  private static byte[] der(String pem, String expectedType) throws KeyFormatException {
    PemObject object;
    try (PemReader reader = new PemReader(new StringReader(pem == null ? "" : pem))) {
      object = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(Reason.NOT_PEM, "not PEM text");
    }
    if (object == null) {
      throw new KeyFormatException(Reason.NOT_PEM, "no PEM block found");
    }
    if (!expectedType.equals(object.getType())) {
      throw new KeyFormatException(Reason.WRONG_PEM_TYPE,
          "expected a '" + expectedType + "' PEM block, found '" + object.getType() + "'");
    }
    return object.getContent();
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }
}
