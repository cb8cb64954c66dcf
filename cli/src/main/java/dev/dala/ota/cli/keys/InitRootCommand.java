package dev.dala.ota.cli.keys;

import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ota keys init-root}: a new root of trust, version 1. */
@Command(name = "init-root", mixinStandardHelpOptions = true,
    description = "Create root version 1: root-1.key.pem (keep it offline), root-1.pub.pem (pin it in apps) and root-1.etf.")
public final class InitRootCommand implements Runnable {

  @Mixin
  KeyDirectoryOption keys;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    KeyDirectory dir = keys.directory();
    if (!dir.rootVersions().isEmpty()) {
      throw new dev.dala.ota.cli.CliException(dev.dala.ota.cli.ExitCode.USAGE,
          dir.dir() + " already holds a root; use rotate-root to replace it");
    }
    dir.requireAbsent(dir.rootKey(1));
    SigningKey root = SigningKey.generate();
    SignedDocument document = TrustAuthority.createRoot(root, Instant.now());
    dir.writeSecret(dir.rootKey(1), root);
    dir.writePublic(dir.rootPublicKey(1), root);
    dir.writeDocument(dir.rootDocument(1), document);
    var out = spec.commandLine().getOut();
    out.println("root version 1, key id " + root.keyId());
    out.println("  " + dir.rootKey(1) + "   secret: move it offline");
    out.println("  " + dir.rootPublicKey(1) + "   pin this in your apps");
    out.println("  " + dir.rootDocument(1));
  }
}
