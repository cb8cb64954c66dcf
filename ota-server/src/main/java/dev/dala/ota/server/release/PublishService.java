package dev.dala.ota.server.release;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.keys.ServerKeys;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.server.storage.ObjectStore;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleModule;
import dev.dala.ota.signer.manifest.AgentVersion;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.SigningIdentity;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.dala.ota.server.common.ReactiveBridge;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Publishes a draft bundle: inspects it, stores each new module once by content hash, reserves
 * the next sequence atomically, signs the manifest with the release key, stores the signed
 * bundle and records the release. Nothing is stored until the upload has passed every check,
 * and publishing the same content again returns the first release.
 *
 * <p>Runs on a worker thread: it parses megabytes and calls the blocking object store, and it
 * enters the reactive database through {@link ReactiveBridge} one short step at a time.
 */
@ApplicationScoped
public class PublishService {

  /** The release, and whether this call created it. */
  public record Published(AppEntity app, ReleaseEntity release, boolean created) {}

  @Inject
  OtaConfig config;

  @Inject
  AppService apps;

  @Inject
  ObjectStore store;

  @Inject
  ServerKeys keys;

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  public Published publish(Caller caller, String appName, byte[] upload) {
    if (upload.length > config.publish().maxBundleBytes()) {
      throw new OtaException(ErrorCode.PAYLOAD_TOO_LARGE,
          "the bundle has " + upload.length + " bytes; the limit is " + config.publish().maxBundleBytes());
    }
    AppEntity app = await(() -> apps.find(caller, appName));
    List<BaseReleaseEntity> bases = await(() -> Panache.withSession(() ->
        BaseReleaseEntity.<BaseReleaseEntity>list("appId = ?1 order by createdAt", app.id)));
    BundleInspection.Accepted accepted = BundleInspection.inspect(upload, app.name, bases, config.publish().maxModules());
    if (!AgentVersion.isValid(accepted.draft().minAgentVersion())) {
      throw new OtaException(ErrorCode.MALFORMED_BUNDLE, "min_agent_version is not MAJOR.MINOR.PATCH");
    }
    ReleaseEntity existing = findPublished(app, accepted.contentHash());
    if (existing != null) {
      return new Published(app, existing, false);
    }
    SigningIdentity signer = keys.identity(Role.RELEASE);
    storeNewModules(accepted.modules());
    long sequence = await(() -> Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s
        .createNativeQuery("update app set last_sequence = last_sequence + 1 where id = :id returning last_sequence",
            Long.class)
        .setParameter("id", app.id)
        .getSingleResult())));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Manifest manifest = manifest(accepted, sequence, now);
    SignedDocument envelope = signer.sign(DocumentKind.MANIFEST, ManifestCodec.encode(manifest));
    List<BundleModule> ordered = manifest.modules().stream().map(m -> accepted.modules().stream()
        .filter(i -> i.name().equals(m.name())).findFirst().map(i -> new BundleModule(i.name(), i.bytes())).orElseThrow())
        .toList();
    byte[] bundle = BundleFile.of(envelope, ordered).toBytes();
    String bundleKey = "bundles/" + app.id + "/" + sequence + ".bundle";
    store.put(bundleKey, bundle, "application/vnd.dala-ota.bundle");
    ReleaseEntity release = new ReleaseEntity();
    release.id = UUID.randomUUID();
    release.appId = app.id;
    release.sequence = sequence;
    release.label = manifest.label();
    release.kind = "publish";
    release.contentHash = accepted.contentHash();
    release.applyMode = manifest.applyMode().atom();
    release.minAgentVersion = manifest.minAgentVersion();
    release.envelope = envelope.encode();
    release.bundleKey = bundleKey;
    release.bundleSha256 = sha256Hex(bundle);
    release.bundleSize = bundle.length;
    release.expiresAt = manifest.expiresAt();
    release.createdBy = caller.actor();
    release.createdAt = now;
    try {
      await(() -> Panache.withTransaction(() -> ReleaseRecords.insert(release, accepted.modules(), accepted.bases())
          .call(() -> audit.record(caller.organisationId(), caller.actor(), "release.publish", "release",
              release.id.toString(), null, java.util.Map.of("sequence", sequence, "label", release.label,
                  "modules", accepted.modules().size())))
          .call(() -> changes.appChanged(app.id))));
    } catch (RuntimeException e) {
      // Lost a race with an identical publish: keep the winner, drop this bundle object.
      ReleaseEntity winner = findPublished(app, accepted.contentHash());
      store.delete(bundleKey);
      if (winner != null) {
        return new Published(app, winner, false);
      }
      throw e;
    }
    return new Published(app, release, true);
  }

  private Manifest manifest(BundleInspection.Accepted accepted, long sequence, Instant now) {
    List<ManifestModule> modules = accepted.modules().stream()
        .map(m -> new ManifestModule(m.name(), m.sha256(), m.bytes().length, m.beam().md5())).toList();
    List<CompatibleBase> bases = accepted.bases().stream()
        .map(b -> new CompatibleBase(b.platform, b.otpRelease, b.fingerprint)).toList();
    Manifest draft = accepted.draft();
    return Manifest.builder().app(draft.app()).sequence(sequence).label(draft.label()).bases(bases).modules(modules)
        .applyMode(draft.applyMode()).minAgentVersion(draft.minAgentVersion()).issuedAt(now)
        .expiresAt(now.plus(config.publish().manifestValidity())).build();
  }

  private ReleaseEntity findPublished(AppEntity app, String contentHash) {
    return await(() -> Panache.withSession(() -> ReleaseEntity.<ReleaseEntity>find(
        "appId = ?1 and contentHash = ?2 and kind = 'publish'", app.id, contentHash).firstResult()));
  }

  private void storeNewModules(List<InspectedModule> modules) {
    List<String> hashes = modules.stream().map(InspectedModule::sha256Hex).toList();
    List<ModuleBlobEntity> known = await(() -> Panache.withSession(() ->
        ModuleBlobEntity.<ModuleBlobEntity>list("sha256 in ?1", hashes)));
    Set<String> stored = new HashSet<>();
    known.forEach(b -> stored.add(b.sha256));
    for (InspectedModule m : modules) {
      if (stored.add(m.sha256Hex())) {
        store.put(ModuleBlobEntity.storageKey(m.sha256Hex()), m.bytes(), "application/octet-stream");
      }
    }
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(Supplier<Uni<T>> work) {
    return ReactiveBridge.await(work);
  }
}
