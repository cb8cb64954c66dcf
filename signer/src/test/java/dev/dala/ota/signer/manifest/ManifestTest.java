package dev.dala.ota.signer.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.SigningIdentity;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustAuthority;
import dev.dala.ota.signer.trust.TrustVerifier;
import dev.dala.ota.signer.verify.Issue;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {

  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final CompatibleBase BASE = new CompatibleBase("android", "27", "abc123");

  static Manifest manifest(long sequence) {
    return Manifest.builder().app("app").sequence(sequence).label("v" + sequence).base(BASE)
        .module(new ManifestModule("b_module", new byte[32], 10, new byte[16]))
        .module(new ManifestModule("a_module", new byte[32], 20, new byte[16]))
        .applyMode(ApplyMode.NEXT_START).issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plus(Duration.ofDays(30)))
        .minAgentVersion("1.2.0").build();
  }

  @Test
  void roundTripsAndKeepsModulesInNameOrder() throws Exception {
    Manifest m = manifest(7);
    assertThat(m.modules()).extracting(ManifestModule::name).containsExactly("a_module", "b_module");
    assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(m);
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws Exception {
    ErlMap map = (ErlMap) EtfDecoder.decode(ManifestCodec.encode(manifest(1)));
    Map<ErlTerm, ErlTerm> entries = new LinkedHashMap<>(map.entries());
    entries.put(dev.dala.ota.signer.etf.ErlBinary.utf8("added_later"), ErlAtom.of("true"));
    assertThat(ManifestCodec.decode(EtfEncoder.encode(new ErlMap(entries)))).isEqualTo(manifest(1));
  }

  @Test
  void refusesManifestsThatBreakTheSchema() throws Exception {
    ErlMap map = (ErlMap) EtfDecoder.decode(ManifestCodec.encode(manifest(1)));
    for (String field : List.of("app", "sequence", "modules", "apply_mode", "expires_at")) {
      Map<ErlTerm, ErlTerm> entries = new LinkedHashMap<>(map.entries());
      entries.remove(ErlAtom.of(field));
      byte[] bytes = EtfEncoder.encode(new ErlMap(entries));
      assertThatThrownBy(() -> ManifestCodec.decode(bytes)).as(field).isInstanceOf(ManifestFormatException.class)
          .hasMessageContaining(field);
    }
    Map<ErlTerm, ErlTerm> entries = new LinkedHashMap<>(map.entries());
    entries.put(ErlAtom.of("apply_mode"), ErlAtom.of("whenever"));
    assertThatThrownBy(() -> ManifestCodec.decode(EtfEncoder.encode(new ErlMap(entries))))
        .isInstanceOf(ManifestFormatException.class).hasMessageContaining("apply_mode");
  }

  @Test
  void checksTheManifestAgainstTheDeviceAndReportsEveryProblem() throws Exception {
    SigningKey root = SigningKey.fromSeed(new byte[32]);
    SigningKey release = SigningKey.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    SignedDocument rootDoc = TrustAuthority.createRoot(root, NOW.minus(Duration.ofDays(100)));
    SignedDocument cert = TrustAuthority.certify(rootDoc, root, Role.RELEASE, release.verifyingKey(),
        NOW.minus(Duration.ofDays(100)), NOW.plus(Duration.ofDays(100)));
    SigningIdentity identity = new SigningIdentity(release, List.of(rootDoc), cert);
    Manifest m = manifest(5);
    SignedDocument envelope = identity.sign(DocumentKind.MANIFEST, ManifestCodec.encode(m));
    ManifestVerifier verifier = new ManifestVerifier(new TrustVerifier(TrustAnchors.of(root.verifyingKey())));

    DeviceState fine = new DeviceState("app", 4, BASE, "1.2.0", NOW, DeviceState.DEFAULT_CLOCK_SKEW);
    assertThat(verifier.verify(envelope.encode(), fine, null).problems()).isEmpty();

    DeviceState wrong = new DeviceState("other", 5, new CompatibleBase("ios", "29", "x"), "1.1.9",
        m.expiresAt().plusSeconds(1), DeviceState.DEFAULT_CLOCK_SKEW);
    ManifestVerification v = verifier.verify(envelope.encode(), wrong, null);
    assertThat(v.problems()).extracting(p -> p.issue()).containsExactly(Issue.APP_MISMATCH,
        Issue.SEQUENCE_NOT_HIGHER, Issue.MANIFEST_EXPIRED, Issue.BASE_INCOMPATIBLE, Issue.AGENT_TOO_OLD);
  }

  @Test
  void refusesAManifestIssuedLaterThanTheDevicesClockAllows() {
    Manifest m = manifest(2);
    dev.dala.ota.signer.verify.Problems problems = new dev.dala.ota.signer.verify.Problems();
    DeviceState early = new DeviceState(null, 1, null, null, m.issuedAt().minus(Duration.ofMinutes(10)),
        Duration.ofMinutes(5));
    ManifestVerifier.checkAgainstDevice(m, early, problems);
    assertThat(problems.has(Issue.MANIFEST_NOT_YET_VALID)).isTrue();
  }

  @Test
  void anUnsignedDraftIsReportedAsSuch() {
    ManifestVerifier verifier = new ManifestVerifier(new TrustVerifier(TrustAnchors.of(SigningKey.generate().verifyingKey())));
    SignedDocument draft = SignedDocument.unsigned(DocumentKind.MANIFEST, ManifestCodec.encode(manifest(0)));
    assertThat(ManifestVerifier.codes(verifier.verify(draft, DeviceState.anyDevice(0, NOW), null)))
        .containsExactly("unsigned");
  }

  @Test
  void agentVersionsCompareNumerically() {
    assertThat(AgentVersion.parse("1.10.0")).isGreaterThan(AgentVersion.parse("1.9.9"));
    assertThatThrownBy(() -> AgentVersion.parse("1.0")).isInstanceOf(IllegalArgumentException.class);
  }
}
