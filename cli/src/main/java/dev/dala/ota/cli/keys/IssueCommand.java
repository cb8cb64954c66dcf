package dev.dala.ota.cli.keys;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota keys issue}: a new online role key, certified by the current root. */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = "Create a release or session key and certify it with the current root key.")
public final class IssueCommand implements Runnable {

  @Mixin
  KeyDirectoryOption keys;

  @Option(names = "--role", required = true, description = "release or session")
  String role;

  @Option(names = "--valid-days", defaultValue = "365", description = "Validity window in days (default: ${DEFAULT-VALUE}).")
  long validDays;

  @Option(names = "--root-key", description = "The current root's private key, if it is not in --dir.")
  Path rootKey;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    Role parsed = Role.fromAtom(role);
    if (parsed == null) {
      throw new CliException(ExitCode.USAGE, "--role must be release or session, not '" + role + "'");
    }
    if (validDays < 1 || validDays > 3650) {
      throw new CliException(ExitCode.USAGE, "--valid-days must be between 1 and 3650");
    }
    KeyDirectory dir = keys.directory();
    long version = dir.currentRootVersion();
    SigningKey root = KeyDirectory.readSigningKey(rootKey != null ? rootKey : dir.rootKey(version));
    SignedDocument rootDocument = KeyDirectory.readDocument(dir.rootDocument(version));
    SigningKey key = SigningKey.generate();
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    SignedDocument certificate;
    try {
      certificate = TrustAuthority.certify(rootDocument, root, parsed, key.verifyingKey(), now,
          now.plus(Duration.ofDays(validDays)));
    } catch (DocumentFormatException e) {
      throw CliException.badInput(dir.rootDocument(version) + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage());
    }
    String id = key.keyId().shortForm();
    dir.writeSecret(dir.roleFile(parsed, id, ".key.pem"), key);
    dir.writePublic(dir.roleFile(parsed, id, ".pub.pem"), key);
    dir.writeDocument(dir.roleFile(parsed, id, ".cert.etf"), certificate);
    spec.commandLine().getOut().println(parsed.atom() + " key " + key.keyId() + ", valid until "
        + now.plus(Duration.ofDays(validDays)) + ", certified by root version " + version);
    spec.commandLine().getOut().println("  " + dir.roleFile(parsed, id, ".key.pem") + "   give it to the server");
    spec.commandLine().getOut().println("  " + dir.roleFile(parsed, id, ".cert.etf"));
  }
}
