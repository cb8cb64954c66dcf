package dev.dala.ota.cli.keys;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.RevocationList;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota keys revoke}: the next revocation list, adding key ids to the previous one. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke role keys by id: writes the next revocations.etf, signed by the current root.")
public final class RevokeCommand implements Runnable {

  @Mixin
  KeyDirectoryOption keys;

  @Parameters(arity = "1..*", paramLabel = "KEY_ID", description = "Full 64-digit key ids to revoke.")
  List<String> keyIds;

  @Option(names = "--root-key", description = "The current root's private key, if it is not in --dir.")
  Path rootKey;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    Set<KeyId> ids = new TreeSet<>();
    for (String text : keyIds) {
      KeyId id = KeyId.parseOrNull(text);
      if (id == null) {
        throw new CliException(ExitCode.USAGE, "'" + text + "' is not a 64-digit key id");
      }
      ids.add(id);
    }
    KeyDirectory dir = keys.directory();
    long version = dir.currentRootVersion();
    SigningKey root = KeyDirectory.readSigningKey(rootKey != null ? rootKey : dir.rootKey(version));
    SignedDocument rootDocument = KeyDirectory.readDocument(dir.rootDocument(version));
    try {
      RevocationList previous = null;
      if (Files.exists(dir.revocations())) {
        previous = RevocationList.decode(KeyDirectory.readDocument(dir.revocations()).payload());
      }
      SignedDocument list = TrustAuthority.revoke(rootDocument, root, previous, ids, Instant.now());
      dir.writeDocument(dir.revocations(), list);
      RevocationList written = RevocationList.decode(list.payload());
      spec.commandLine().getOut().println("revocation list version " + written.version() + " revokes "
          + written.revoked().size() + " key(s): " + dir.revocations());
    } catch (DocumentFormatException e) {
      throw CliException.badInput(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage());
    }
  }
}
