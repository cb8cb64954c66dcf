package dev.dala.ota.release.apk;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** A private key from a keystore and its certificate chain, leaf first. */
public record ApkSigningKey(String alias, PrivateKey privateKey, List<X509Certificate> certificates) {

  public ApkSigningKey {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(privateKey, "privateKey");
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a signing key needs its certificate");
    }
  }

  public X509Certificate certificate() {
    return certificates.get(0);
  }
}
