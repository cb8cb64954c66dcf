package dev.dala.ota.release.apk;

import dev.dala.ota.release.cli.Secret;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The signing key's keystore options, named as apksigner names them. */
public final class KeystoreOptions {

  @Option(names = "--ks", required = true, paramLabel = "FILE", description = "The keystore (PKCS#12 or JKS).")
  Path keystore;

  @Option(names = "--ks-pass", defaultValue = "env:OTA_KS_PASS", paramLabel = "SECRET",
      description = "The keystore password: env:NAME, file:PATH or pass:VALUE (default: ${DEFAULT-VALUE}).")
  String storePassword;

  @Option(names = "--ks-key-alias", paramLabel = "ALIAS", description = "The key's alias (needed when the "
      + "keystore holds several keys).")
  String alias;

  @Option(names = "--key-pass", paramLabel = "SECRET", description = "The key's password when it differs from "
      + "the keystore's.")
  String keyPassword;

  ApkSigningKey load() {
    char[] store = Secret.resolve(storePassword, "--ks-pass");
    char[] key = keyPassword == null ? null : Secret.resolve(keyPassword, "--key-pass");
    return Keystores.load(keystore, store, alias, key);
  }
}
