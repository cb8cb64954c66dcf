package dev.dala.ota.server.release;

import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.common.ReactiveBridge;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.keys.ServerKeys;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.storage.ObjectStore;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleModule;
import dev.dala.ota.signer.manifest.ApplyMode;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.SigningIdentity;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Turns modules whose bytes are already stored into a signed release: reserves the app's next
 * sequence atomically, signs the manifest with the release key and stores the signed bundle.
 * The caller records the release rows in its own transaction. Call from a worker thread.
 */
@ApplicationScoped
public class ReleaseWriter {

  /** What the release will contain and how it is applied. */
  public record Content(String label, ApplyMode applyMode, String minAgentVersion, List<Module> modules,
      List<BaseReleaseEntity> bases) {}

  /** One module: name, bytes and what the BEAM reports as its MD5. */
  public record Module(String name, byte[] bytes, byte[] sha256, byte[] beamMd5) {
    public String sha256Hex() {
      return HexFormat.of().formatHex(sha256);
    }
  }

  @Inject
  OtaConfig config;

  @Inject
  ObjectStore store;

  @Inject
  ServerKeys keys;

  /** A release entity, not yet persisted, whose bundle is stored. */
  public ReleaseEntity write(AppEntity app, Content content, String kind, String contentHash, UUID republishedFrom,
      String actor) {
    SigningIdentity signer = keys.identity(Role.RELEASE);
    long sequence = ReactiveBridge.await(() -> Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s
        .createNativeQuery("update app set last_sequence = last_sequence + 1 where id = :id returning last_sequence",
            Long.class)
        .setParameter("id", app.id)
        .getSingleResult())));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Manifest manifest = Manifest.builder()
        .app(app.name)
        .sequence(sequence)
        .label(content.label())
        .bases(content.bases().stream().map(b -> new CompatibleBase(b.platform, b.otpRelease, b.fingerprint)).toList())
        .modules(content.modules().stream().map(m -> new ManifestModule(m.name(), m.sha256(), m.bytes().length,
            m.beamMd5())).toList())
        .applyMode(content.applyMode())
        .minAgentVersion(content.minAgentVersion())
        .issuedAt(now)
        .expiresAt(now.plus(config.publish().manifestValidity()))
        .build();
    SignedDocument envelope = signer.sign(DocumentKind.MANIFEST, ManifestCodec.encode(manifest));
    List<BundleModule> ordered = manifest.modules().stream().map(m -> content.modules().stream()
        .filter(c -> c.name().equals(m.name())).findFirst().map(c -> new BundleModule(c.name(), c.bytes())).orElseThrow())
        .toList();
    byte[] bundle = BundleFile.of(envelope, ordered).toBytes();
    String bundleKey = "bundles/" + app.id + "/" + sequence + ".bundle";
    store.put(bundleKey, bundle, "application/vnd.dala-ota.bundle");
    ReleaseEntity release = new ReleaseEntity();
    release.id = UUID.randomUUID();
    release.appId = app.id;
    release.sequence = sequence;
    release.label = manifest.label();
    release.kind = kind;
    release.contentHash = contentHash;
    release.applyMode = manifest.applyMode().atom();
    release.minAgentVersion = manifest.minAgentVersion();
    release.envelope = envelope.encode();
    release.bundleKey = bundleKey;
    release.bundleSha256 = sha256Hex(bundle);
    release.bundleSize = bundle.length;
    release.expiresAt = manifest.expiresAt();
    release.republishedFrom = republishedFrom;
    release.createdBy = actor;
    release.createdAt = now;
    return release;
  }

  /** Removes a stored bundle whose release could not be recorded. */
  public void discard(ReleaseEntity release) {
    store.delete(release.bundleKey);
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
