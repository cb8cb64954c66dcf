package dev.dala.ota.signer.manifest;

import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.DocumentVerification;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustVerifier;
import dev.dala.ota.signer.verify.Issue;
import dev.dala.ota.signer.verify.Problems;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a device may apply a signed manifest: the release key's chain must reach a
 * pinned root, and only then is the manifest read and held against the device's app, sequence,
 * clock, base and agent version. Every failed check is reported, not only the first.
 */
public final class ManifestVerifier {

  private final TrustVerifier trust;

  public ManifestVerifier(TrustVerifier trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  /** Verifies encoded envelope bytes; malformed bytes give {@link Issue#MALFORMED_DOCUMENT}. */
  public ManifestVerification verify(byte[] envelope, DeviceState device, SignedDocument revocations) {
    SignedDocument document;
    try {
      document = SignedDocument.decode(envelope);
    } catch (DocumentFormatException e) {
      return new ManifestVerification(
          new Problems().add(Issue.MALFORMED_DOCUMENT, e.getMessage()).toList(), null, null);
    }
    return verify(document, device, revocations);
  }

  public ManifestVerification verify(SignedDocument envelope, DeviceState device, SignedDocument revocations) {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(device, "device");
    Problems problems = new Problems();
    if (envelope.signatures().isEmpty() && envelope.chain().isEmpty()) {
      problems.add(Issue.UNSIGNED, "this is an unsigned draft; a server signs it when it publishes");
      return new ManifestVerification(problems.toList(), null, null);
    }
    DocumentVerification verification =
        trust.verifyRoleSigned(envelope, DocumentKind.MANIFEST, Role.RELEASE, device.now(), revocations);
    problems.addAll(verification.problems());
    if (!verification.isVerified()) {
      // Nothing in an unverified payload is read.
      return new ManifestVerification(problems.toList(), null, verification);
    }
    Manifest manifest;
    try {
      manifest = ManifestCodec.decode(verification.verifiedPayload());
    } catch (ManifestFormatException e) {
      problems.add(Issue.MALFORMED_MANIFEST, e.getMessage());
      return new ManifestVerification(problems.toList(), null, verification);
    }
    checkAgainstDevice(manifest, device, problems);
    return new ManifestVerification(problems.toList(), manifest, verification);
  }

  static void checkAgainstDevice(Manifest manifest, DeviceState device, Problems problems) {
    if (device.app() != null && !device.app().equals(manifest.app())) {
      problems.add(Issue.APP_MISMATCH, "manifest is for app " + manifest.app() + ", device runs " + device.app());
    }
    if (manifest.sequence() <= device.currentSequence()) {
      problems.add(Issue.SEQUENCE_NOT_HIGHER, "sequence " + manifest.sequence()
          + " is not higher than the device's " + device.currentSequence());
    }
    if (!device.now().isBefore(manifest.expiresAt())) {
      problems.add(Issue.MANIFEST_EXPIRED, "manifest expired at " + manifest.expiresAt());
    }
    if (manifest.issuedAt().isAfter(device.now().plus(device.clockSkew()))) {
      problems.add(Issue.MANIFEST_NOT_YET_VALID, "manifest is issued at " + manifest.issuedAt()
          + ", later than the device's clock allows");
    }
    if (device.base() != null && !manifest.bases().contains(device.base())) {
      problems.add(Issue.BASE_INCOMPATIBLE, "base " + device.base() + " is not among the manifest's "
          + manifest.bases().size() + " compatible bases");
    }
    if (device.agentVersion() != null
        && AgentVersion.parse(device.agentVersion()).compareTo(AgentVersion.parse(manifest.minAgentVersion())) < 0) {
      problems.add(Issue.AGENT_TOO_OLD, "manifest needs agent " + manifest.minAgentVersion()
          + ", device runs " + device.agentVersion());
    }
  }

  /** The problems' codes, a convenience for tests and machine output. */
  public static List<String> codes(ManifestVerification verification) {
    return verification.problems().stream().map(p -> p.issue().code()).toList();
  }
}
