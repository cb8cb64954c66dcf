package dev.dala.ota.cli.keys;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota keys rotate-root}: root version N+1, signed by root N and by itself. */
@Command(name = "rotate-root", mixinStandardHelpOptions = true,
    description = "Create the next root version, signed by the current root key and the new one. "
        + "Re-issue role keys afterwards: devices trust only certificates from the newest root they have seen.")
public final class RotateRootCommand implements Runnable {

  @Mixin
  KeyDirectoryOption keys;

  @Option(names = "--root-key", description = "The current root's private key, if it is not in --dir.")
  Path rootKey;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    KeyDirectory dir = keys.directory();
    long version = dir.currentRootVersion();
    SigningKey current = KeyDirectory.readSigningKey(rootKey != null ? rootKey : dir.rootKey(version));
    SignedDocument currentDocument = KeyDirectory.readDocument(dir.rootDocument(version));
    long next = version + 1;
    dir.requireAbsent(dir.rootKey(next));
    SigningKey nextKey = SigningKey.generate();
    SignedDocument document;
    try {
      document = TrustAuthority.rotateRoot(currentDocument, current, nextKey, Instant.now());
    } catch (DocumentFormatException e) {
      throw CliException.badInput(dir.rootDocument(version) + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage());
    }
    dir.writeSecret(dir.rootKey(next), nextKey);
    dir.writePublic(dir.rootPublicKey(next), nextKey);
    dir.writeDocument(dir.rootDocument(next), document);
    spec.commandLine().getOut().println("root version " + next + ", key id " + nextKey.keyId()
        + ", signed by root version " + version);
  }
}
