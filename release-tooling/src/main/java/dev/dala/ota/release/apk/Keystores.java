package dev.dala.ota.release.apk;

import dev.dala.ota.release.cli.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Loads a signing key from a PKCS#12 or JKS keystore (the JDK tells them apart by content) and
 * turns each way that can fail into a message that says what to fix: no file, not a keystore,
 * a wrong store or key password, an alias that is missing or is not a key.
 */
public final class Keystores {

  /** The key algorithms apksig signs with. */
  private static final Set<String> SUPPORTED = Set.of("RSA", "EC", "DSA");
  /** Real keystores are a few kilobytes; refuse to parse anything huge. */
  private static final long MAX_KEYSTORE_BYTES = 1 << 20;

  private Keystores() {}

  public static ApkSigningKey load(Path file, char[] storePassword, String alias, char[] keyPassword) {
    if (!Files.isRegularFile(file)) {
      throw ReleaseException.badInput("keystore " + file + ": no such file");
    }
    KeyStore store = open(file, storePassword);
    String chosen = chooseAlias(store, file, alias);
    Key key;
    try {
      key = store.getKey(chosen, keyPassword != null ? keyPassword : storePassword);
    } catch (UnrecoverableKeyException e) {
      throw ReleaseException.badInput("keystore " + file + ": wrong key password for alias " + chosen);
    } catch (KeyStoreException | NoSuchAlgorithmException e) {
      throw ReleaseException.badInput("keystore " + file + ": cannot read the key " + chosen + ": " + e.getMessage());
    }
    if (!(key instanceof PrivateKey privateKey)) {
      throw ReleaseException.badInput("keystore " + file + ": alias " + chosen + " holds no private key");
    }
    if (!SUPPORTED.contains(privateKey.getAlgorithm())) {
      throw ReleaseException.badInput("keystore " + file + ": " + privateKey.getAlgorithm()
          + " keys cannot sign APKs; use RSA, EC or DSA");
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      Certificate[] certs = store.getCertificateChain(chosen);
      if (certs != null) {
        for (Certificate c : certs) {
          if (c instanceof X509Certificate x) {
            chain.add(x);
          }
        }
      }
    } catch (KeyStoreException e) {
      throw ReleaseException.badInput("keystore " + file + ": " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw ReleaseException.badInput("keystore " + file + ": alias " + chosen + " has no X.509 certificate");
    }
    return new ApkSigningKey(chosen, privateKey, chain);
  }

  private static KeyStore open(Path file, char[] password) {
    try {
      if (Files.size(file) > MAX_KEYSTORE_BYTES) {
        throw ReleaseException.badInput("keystore " + file + ": larger than 1 MiB; not a keystore");
      }
      return KeyStore.getInstance(file.toFile(), password);
    } catch (KeyStoreException e) {
      throw ReleaseException.badInput("keystore " + file + ": not a PKCS#12 or JKS keystore, or corrupt");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException
          || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password")) {
        throw ReleaseException.badInput("keystore " + file + ": wrong keystore password");
      }
      throw ReleaseException.badInput("keystore " + file + ": corrupt: " + e.getMessage());
    } catch (NoSuchAlgorithmException | CertificateException | RuntimeException e) {
      throw ReleaseException.badInput("keystore " + file + ": corrupt: " + e.getMessage());
    }
  }

  private static String chooseAlias(KeyStore store, Path file, String alias) {
    try {
      List<String> keys = new ArrayList<>();
      for (String a : Collections.list(store.aliases())) {
        if (store.isKeyEntry(a)) {
          keys.add(a);
        }
      }
      if (alias != null) {
        if (!store.containsAlias(alias)) {
          throw ReleaseException.badInput("keystore " + file + ": no alias " + alias + " (it has: "
              + String.join(", ", keys.stream().sorted().toList()) + ")");
        }
        return alias;
      }
      if (keys.size() == 1) {
        return keys.get(0);
      }
      throw ReleaseException.usage("keystore " + file + " holds " + keys.size() + " keys; choose one with "
          + "--ks-key-alias (" + String.join(", ", keys.stream().sorted().toList()) + ")");
    } catch (KeyStoreException e) {
      throw ReleaseException.badInput("keystore " + file + ": " + e.getMessage());
    }
  }
}
