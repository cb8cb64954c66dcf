package dev.dala.ota.release.support;

import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Root keys to pin, written as {@code ota keys init-root} writes them. */
public final class Keys {

  private Keys() {}

  public static Path rootPem(Path dir, String name) {
    try {
      return Files.writeString(dir.resolve(name + ".pub.pem"), PemKeys.writeVerifyingKey(SigningKey.generate()
          .verifyingKey()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
