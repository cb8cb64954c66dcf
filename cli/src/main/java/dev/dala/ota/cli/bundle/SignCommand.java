package dev.dala.ota.cli.bundle;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.cli.ExitCode;
import dev.dala.ota.cli.keys.KeyDirectory;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleFormatException;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestFormatException;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.SigningIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ota bundle sign}: signs a draft offline with a release key. The server does this when
 * it publishes; this verb is for air-gapped flows and for tests.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Sign a draft bundle with a release key and its certificate, at a given sequence.")
public final class SignCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DRAFT")
  Path draft;

  @Option(names = "--dir", defaultValue = "ota-keys", description = "Key folder holding the root documents.")
  Path dir;

  @Option(names = "--key", required = true, description = "The release key (PEM).")
  Path key;

  @Option(names = "--cert", required = true, description = "The release key's certificate (.cert.etf).")
  Path cert;

  @Option(names = "--sequence", required = true, description = "The release's sequence number.")
  long sequence;

  @Option(names = "--base", description = "Compatible bases, PLATFORM:OTP_RELEASE:FINGERPRINT; replaces the draft's.")
  List<String> bases = new ArrayList<>();

  @Option(names = "--valid-days", defaultValue = "90", description = "Days until the manifest expires.")
  long validDays;

  @Option(names = "--out", required = true, description = "Where to write the signed bundle.")
  Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (sequence < 1) {
      throw new CliException(ExitCode.USAGE, "--sequence must be at least 1");
    }
    try {
      BundleFile bundle = BundleFile.read(CliFiles.read(draft), BundleLimits.DEFAULT);
      Manifest manifest = ManifestCodec.decode(bundle.envelopeDocument().payload());
      List<CompatibleBase> newBases = bases.isEmpty() ? manifest.bases() : bases.stream().map(CompatibleBase::parse).toList();
      Instant now = Instant.now();
      Manifest published = manifest.withPublication(sequence, newBases, now, now.plus(Duration.ofDays(validDays)));
      SigningIdentity identity = new SigningIdentity(KeyDirectory.readSigningKey(key),
          new KeyDirectory(dir).rootChain(), KeyDirectory.readDocument(cert));
      if (identity.role() != Role.RELEASE) {
        throw new CliException(ExitCode.USAGE, cert + " certifies a " + identity.role().atom() + " key, not a release key");
      }
      SignedDocument envelope = identity.sign(DocumentKind.MANIFEST, ManifestCodec.encode(published));
      CliFiles.writeAtomically(out, BundleFile.of(envelope, bundle.modules()).toBytes(), false);
      spec.commandLine().getOut().println("wrote " + out + ": sequence " + sequence + ", signed by "
          + identity.key().keyId().shortForm());
      return ExitCode.OK;
    } catch (BundleFormatException | DocumentFormatException | ManifestFormatException e) {
      throw CliException.badInput(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }
}
