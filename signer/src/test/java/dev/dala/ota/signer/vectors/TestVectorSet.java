package dev.dala.ota.signer.vectors;

import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleModule;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.keys.KeyId;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.manifest.ApplyMode;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.TrustAuthority;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds every golden file under test-vectors/ from fixed seeds and fixed times, so that the
 * same bytes come out on every run. Ed25519 signatures are deterministic, and the term encoder
 * is too, so nothing here depends on the clock or on randomness.
 */
public final class TestVectorSet {

  static final Instant KEYS_FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant KEYS_UNTIL = Instant.parse("2028-01-01T00:00:00Z");
  static final Instant ISSUED = Instant.parse("2026-05-01T00:00:00Z");
  static final Instant EXPIRES = Instant.parse("2027-05-01T00:00:00Z");
  /** The instant every vector is verified at. */
  public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final String APP = "com.example.dala";
  static final CompatibleBase BASE = new CompatibleBase("ios", "29", "b1f0c2d3e4a5968778695a4b3c2d1e0f");

  private final Map<String, byte[]> files = new TreeMap<>();
  private final StringBuilder index = new StringBuilder();

  /** The key with the RFC 8032 seed SHA-256("dala-ota test vector " + name). */
  public static SigningKey key(String name) {
    return SigningKey.fromSeed(sha256(("dala-ota test vector " + name).getBytes(StandardCharsets.UTF_8)));
  }

  /** Every file of the set, by its path under test-vectors/. */
  public static Map<String, byte[]> build() throws Exception {
    return new TestVectorSet().generate();
  }

  private Map<String, byte[]> generate() throws Exception {
    SigningKey root1 = key("root-1");
    SigningKey root2 = key("root-2");
    SigningKey otherRoot = key("other-root");
    SigningKey release = key("release-1");
    SigningKey expired = key("release-expired");
    SigningKey revoked = key("release-revoked");
    SigningKey releaseUnderRoot2 = key("release-root-2");
    SigningKey session = key("session-1");
    SigningKey uncertified = key("uncertified");
    for (var e : Map.of("root-1", root1, "root-2", root2, "release-1", release, "release-expired", expired,
        "release-revoked", revoked, "release-root-2", releaseUnderRoot2, "session-1", session,
        "uncertified", uncertified, "other-root", otherRoot).entrySet()) {
      text("keys/ed25519-" + e.getKey() + ".key.pem", PemKeys.writeSigningKey(e.getValue()));
      text("keys/ed25519-" + e.getKey() + ".pub.pem", PemKeys.writeVerifyingKey(e.getValue().verifyingKey()));
    }

    SignedDocument rootDoc1 = TrustAuthority.createRoot(root1, KEYS_FROM);
    SignedDocument rootDoc2 = TrustAuthority.rotateRoot(rootDoc1, root1, root2, KEYS_FROM.plusSeconds(86_400));
    SignedDocument otherRootDoc = TrustAuthority.createRoot(otherRoot, KEYS_FROM);
    SignedDocument certRelease = TrustAuthority.certify(rootDoc1, root1, Role.RELEASE, release.verifyingKey(), KEYS_FROM, KEYS_UNTIL);
    SignedDocument certExpired = TrustAuthority.certify(rootDoc1, root1, Role.RELEASE, expired.verifyingKey(),
        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-07-01T00:00:00Z"));
    SignedDocument certRevoked = TrustAuthority.certify(rootDoc1, root1, Role.RELEASE, revoked.verifyingKey(), KEYS_FROM, KEYS_UNTIL);
    SignedDocument certRoot2 = TrustAuthority.certify(rootDoc2, root2, Role.RELEASE, releaseUnderRoot2.verifyingKey(), KEYS_FROM, KEYS_UNTIL);
    SignedDocument certSession = TrustAuthority.certify(rootDoc1, root1, Role.SESSION, session.verifyingKey(), KEYS_FROM, KEYS_UNTIL);
    SignedDocument certOtherRoot = TrustAuthority.certify(otherRootDoc, otherRoot, Role.RELEASE, release.verifyingKey(), KEYS_FROM, KEYS_UNTIL);
    SignedDocument revocations = TrustAuthority.revoke(rootDoc1, root1, null, Set.of(revoked.keyId()), KEYS_FROM.plusSeconds(3600));
    document("trust/root-1.etf", rootDoc1);
    document("trust/root-2.etf", rootDoc2);
    document("trust/cert-release-1.etf", certRelease);
    document("trust/cert-release-expired.etf", certExpired);
    document("trust/cert-release-revoked.etf", certRevoked);
    document("trust/cert-release-root-2.etf", certRoot2);
    document("trust/cert-session-1.etf", certSession);
    document("trust/revocations-1.etf", revocations);

    List<BundleModule> modules = List.of(
        new BundleModule("Elixir.Demo.Greeter", bytes("greeter module bytes, version 2")),
        new BundleModule("demo_worker", bytes("worker module bytes, version 2")));
    Manifest v2 = manifest(2, "v2", modules);
    Manifest v1 = manifest(1, "v1", List.of(new BundleModule("demo_worker", bytes("worker module bytes, version 1"))));
    files.put("manifests/manifest-v2.etf", ManifestCodec.encode(v2));

    List<SignedDocument> chain1 = List.of(rootDoc1, certRelease);
    SignedDocument good = sign(v2, release, chain1);
    envelope("envelope-v2", good, "ok");
    envelope("envelope-v2-tampered", tamper(good), "signature_invalid");
    envelope("envelope-v2-wrong-key", sign(v2, uncertified, chain1), "signer_not_certified");
    envelope("envelope-v2-expired-key", sign(v2, expired, List.of(rootDoc1, certExpired)), "role_key_expired");
    envelope("envelope-v2-revoked-key", sign(v2, revoked, List.of(rootDoc1, certRevoked)), "role_key_revoked");
    envelope("envelope-v1-lower-sequence", sign(v1, release, chain1), "sequence_not_higher");
    envelope("envelope-v2-session-key", sign(v2, session, List.of(rootDoc1, certSession)), "wrong_role");
    envelope("envelope-v2-unknown-root", sign(v2, release, List.of(otherRootDoc, certOtherRoot)), "root_not_pinned");
    envelope("envelope-v2-root-2", sign(v2, releaseUnderRoot2, List.of(rootDoc1, rootDoc2, certRoot2)), "ok");
    envelope("envelope-v2-old-cert-after-rotation", sign(v2, release, List.of(rootDoc1, rootDoc2, certRelease)),
        "certificate_not_trusted");
    Manifest otherBase = v2.withPublication(2, List.of(new CompatibleBase("android", "27", "00ff")), ISSUED, EXPIRES);
    envelope("envelope-v2-incompatible-base", sign(otherBase, release, chain1), "base_incompatible");

    files.put("bundles/bundle-v2.bundle", BundleFile.of(good, modules).toBytes());
    row("bundle-v2", "bundles/bundle-v2.bundle", "ok");
    List<BundleModule> tampered = List.of(modules.get(0),
        new BundleModule("demo_worker", bytes("worker module bytes, version X")));
    files.put("bundles/bundle-v2-tampered-module.bundle", BundleFile.of(good, tampered).toBytes());
    row("bundle-v2-tampered-module", "bundles/bundle-v2-tampered-module.bundle", "module_hash_mismatch");
    List<BundleModule> mixed = List.of(modules.get(0),
        new BundleModule("demo_worker", bytes("worker module bytes, version 1")));
    files.put("bundles/bundle-v2-mixed-releases.bundle", BundleFile.of(good, mixed).toBytes());
    row("bundle-v2-mixed-releases", "bundles/bundle-v2-mixed-releases.bundle", "module_hash_mismatch");
    files.put("bundles/bundle-v2-missing-module.bundle", BundleFile.of(good, modules.subList(0, 1)).toBytes());
    row("bundle-v2-missing-module", "bundles/bundle-v2-missing-module.bundle", "module_missing");

    signatures(release, good);
    text("session/cookie-derivation.tsv", SessionVectors.rows());
    files.put("etf/corpus.bin", etfCorpus());
    files.put("vectors.tsv", ("# name\tfile\tpinned_root\trevocations\tnow\tcurrent_sequence\tbase\texpected\n" + index)
        .getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static Manifest manifest(long sequence, String label, List<BundleModule> modules) throws Exception {
    List<ManifestModule> entries = new java.util.ArrayList<>();
    for (BundleModule m : modules) {
      entries.add(new ManifestModule(m.name(), m.sha256(), m.bytes().length,
          MessageDigest.getInstance("MD5").digest(m.bytes())));
    }
    return Manifest.builder().app(APP).sequence(sequence).label(label).base(BASE).modules(entries)
        .applyMode(ApplyMode.HOT).issuedAt(ISSUED).expiresAt(EXPIRES).minAgentVersion("0.1.0").build();
  }

  private static SignedDocument sign(Manifest manifest, SigningKey key, List<SignedDocument> chain) {
    return SignedDocument.sign(DocumentKind.MANIFEST, ManifestCodec.encode(manifest), List.of(key), chain);
  }

  /** The same document with one byte of the label changed after signing: still well-formed, no longer signed. */
  private static SignedDocument tamper(SignedDocument document) {
    byte[] payload = document.payload();
    byte[] label = "v2".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + 1 < payload.length; i++) {
      if (payload[i] == label[0] && payload[i + 1] == label[1]) {
        payload[i + 1] = '9';
        return new SignedDocument(document.kind(), payload, document.signatures(), document.chain());
      }
    }
    throw new IllegalStateException("label not found");
  }

  private void envelope(String name, SignedDocument document, String expected) {
    String file = "manifests/" + name + ".etf";
    files.put(file, document.encode());
    row(name, file, expected);
  }

  private void row(String name, String file, String expected) {
    String revocations = name.contains("revoked") ? "trust/revocations-1.etf" : "-";
    index.append(String.join("\t", name, file, "keys/ed25519-root-1.pub.pem", revocations, NOW.toString(),
        "1", BASE.toString(), expected)).append('\n');
  }

  /** Raw Ed25519 vectors over this project's signing input, for the C NIF's tests. */
  private void signatures(SigningKey release, SignedDocument good) {
    HexFormat hex = HexFormat.of();
    byte[] message = DocumentKind.MANIFEST.signingInput(good.payload());
    byte[] signature = good.signatures().get(0).signature();
    byte[] flipped = signature.clone();
    flipped[10] ^= 1;
    byte[] otherMessage = message.clone();
    otherMessage[otherMessage.length - 1] ^= 1;
    String pub = hex.formatHex(release.verifyingKey().raw());
    String otherPub = hex.formatHex(key("uncertified").verifyingKey().raw());
    String rows = "# public_key\tmessage\tsignature\tvalid\n"
        + String.join("\t", pub, hex.formatHex(message), hex.formatHex(signature), "true") + "\n"
        + String.join("\t", pub, hex.formatHex(message), hex.formatHex(flipped), "false") + "\n"
        + String.join("\t", pub, hex.formatHex(otherMessage), hex.formatHex(signature), "false") + "\n"
        + String.join("\t", otherPub, hex.formatHex(message), hex.formatHex(signature), "false") + "\n";
    text("signatures/ed25519-signing-input.tsv", rows);
    text("keys/key-ids.tsv", "# key\tkey_id\n"
        + "release-1\t" + release.keyId() + "\n"
        + "root-1\t" + key("root-1").keyId() + "\n");
  }

  /** The codec's edge cases, each as <<Length:32, Etf/binary>>, for the Elixir side to re-encode. */
  private static byte[] etfCorpus() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ErlTerm term : dev.dala.ota.signer.etf.TestTerms.fuzzSeeds().subList(0, 40)) {
      byte[] b = EtfEncoder.encode(term);
      out.write(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
      out.write(b);
    }
    return out.toByteArray();
  }

  private void document(String path, SignedDocument document) {
    files.put(path, document.encode());
  }

  private void text(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyId keyIdOf(String name) {
    return key(name).keyId();
  }
}
