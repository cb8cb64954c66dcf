package dev.dala.ota.signer.trust;

import static dev.dala.ota.signer.trust.TrustFixture.END;
import static dev.dala.ota.signer.trust.TrustFixture.NOW;
import static dev.dala.ota.signer.trust.TrustFixture.T0;
import static dev.dala.ota.signer.trust.TrustFixture.key;
import static dev.dala.ota.signer.trust.TrustFixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.verify.Issue;
import dev.dala.ota.signer.verify.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustVerifierTest {

  private final SigningKey root1 = key("root-1");
  private final SigningKey root2 = key("root-2");
  private final SigningKey root3 = key("root-3");
  private final SigningKey releaseKey = key("release");
  private final SignedDocument rootDoc1 = TrustAuthority.createRoot(root1, T0);

  private SignedDocument certify(SignedDocument root, SigningKey rootKey, Role role, SigningKey key) throws Exception {
    return TrustAuthority.certify(root, rootKey, role, key.verifyingKey(), T0, END);
  }

  private static List<Issue> issues(DocumentVerification v) {
    return v.problems().stream().map(Problem::issue).toList();
  }

  private DocumentVerification verify(SignedDocument doc, SigningKey... pinned) {
    TrustAnchors anchors = new TrustAnchors(java.util.Arrays.stream(pinned).map(SigningKey::verifyingKey)
        .collect(java.util.stream.Collectors.toSet()));
    return new TrustVerifier(anchors).verifyRoleSigned(doc, DocumentKind.MANIFEST, Role.RELEASE, NOW, null);
  }

  @Test
  void acceptsADocumentSignedByACertifiedReleaseKey() throws Exception {
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    DocumentVerification v = verify(doc, root1);
    assertThat(v.problems()).isEmpty();
    assertThat(v.root().version()).isEqualTo(1);
    assertThat(v.certificate().keyId()).isEqualTo(releaseKey.keyId());
  }

  @Test
  void followsRootRotationOneVersionAtATime() throws Exception {
    SignedDocument rootDoc2 = TrustAuthority.rotateRoot(rootDoc1, root1, root2, T0);
    SignedDocument rootDoc3 = TrustAuthority.rotateRoot(rootDoc2, root2, root3, T0);
    SignedDocument cert = certify(rootDoc3, root3, Role.RELEASE, releaseKey);
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, rootDoc2, rootDoc3, cert));
    assertThat(verify(doc, root1).problems()).isEmpty();
    assertThat(verify(doc, root1).root().version()).isEqualTo(3);
    // A device built after the first rotation pins root 2 and skips the history before it.
    assertThat(verify(doc, root2).problems()).isEmpty();
  }

  @Test
  void refusesARotationThatSkipsAVersion() throws Exception {
    SignedDocument rootDoc2 = TrustAuthority.rotateRoot(rootDoc1, root1, root2, T0);
    SignedDocument rootDoc3 = TrustAuthority.rotateRoot(rootDoc2, root2, root3, T0);
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, rootDoc3, certify(rootDoc3, root3, Role.RELEASE, releaseKey)));
    assertThat(issues(verify(doc, root1))).containsExactly(Issue.ROOT_CHAIN_BROKEN);
  }

  @Test
  void refusesANewRootThatTheOldRootDidNotSign() throws Exception {
    RootDocument forged = new RootDocument(2, root2.verifyingKey(), T0);
    SignedDocument selfOnly = SignedDocument.sign(DocumentKind.ROOT, forged.encode(), List.of(root2), List.of());
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, selfOnly, certify(selfOnly, root2, Role.RELEASE, releaseKey)));
    assertThat(issues(verify(doc, root1))).containsExactly(Issue.ROOT_CHAIN_BROKEN);
  }

  @Test
  void refusesANewRootThatDidNotSignItself() throws Exception {
    RootDocument next = new RootDocument(2, root2.verifyingKey(), T0);
    SignedDocument oldOnly = SignedDocument.sign(DocumentKind.ROOT, next.encode(), List.of(root1), List.of());
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, oldOnly, certify(oldOnly, root2, Role.RELEASE, releaseKey)));
    assertThat(issues(verify(doc, root1))).containsExactly(Issue.ROOT_CHAIN_BROKEN);
  }

  @Test
  void refusesAChainThatNeverReachesAPinnedRoot() throws Exception {
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    assertThat(issues(verify(doc, root2))).containsExactly(Issue.ROOT_NOT_PINNED);
  }

  @Test
  void refusesCertificatesFromARootThatHasBeenRotatedAway() throws Exception {
    SignedDocument rootDoc2 = TrustAuthority.rotateRoot(rootDoc1, root1, root2, T0);
    SignedDocument oldCert = certify(rootDoc1, root1, Role.RELEASE, releaseKey);
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, rootDoc2, oldCert));
    assertThat(issues(verify(doc, root1))).containsExactly(Issue.CERTIFICATE_NOT_TRUSTED);
  }

  @Test
  void refusesAMissingCertificate() {
    assertThat(issues(verify(release(releaseKey, List.of(rootDoc1)), root1))).containsExactly(Issue.CERTIFICATE_MISSING);
  }

  @Test
  void reportsEveryCertificateProblemAtOnce() throws Exception {
    SignedDocument expiredSession = TrustAuthority.certify(rootDoc1, root1, Role.SESSION, releaseKey.verifyingKey(),
        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"));
    SignedDocument revocations = TrustAuthority.revoke(rootDoc1, root1, null, Set.of(releaseKey.keyId()), T0);
    SignedDocument doc = release(key("someone else"), List.of(rootDoc1, expiredSession));
    DocumentVerification v = new TrustVerifier(TrustAnchors.of(root1.verifyingKey()))
        .verifyRoleSigned(doc, DocumentKind.MANIFEST, Role.RELEASE, NOW, revocations);
    assertThat(issues(v)).containsExactly(Issue.WRONG_ROLE, Issue.ROLE_KEY_EXPIRED, Issue.ROLE_KEY_REVOKED,
        Issue.SIGNER_NOT_CERTIFIED);
  }

  @Test
  void refusesAKeyBeforeItsWindowOpens() throws Exception {
    SignedDocument future = TrustAuthority.certify(rootDoc1, root1, Role.RELEASE, releaseKey.verifyingKey(),
        Instant.parse("2026-12-01T00:00:00Z"), END);
    assertThat(issues(verify(release(releaseKey, List.of(rootDoc1, future)), root1)))
        .containsExactly(Issue.ROLE_KEY_NOT_YET_VALID);
  }

  @Test
  void refusesARevocationListTheRootDidNotSign() throws Exception {
    SignedDocument forged = TrustAuthority.revoke(TrustAuthority.createRoot(root2, T0), root2, null, Set.of(), T0);
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    DocumentVerification v = new TrustVerifier(TrustAnchors.of(root1.verifyingKey()))
        .verifyRoleSigned(doc, DocumentKind.MANIFEST, Role.RELEASE, NOW, forged);
    assertThat(issues(v)).containsExactly(Issue.REVOCATION_LIST_INVALID);
  }

  @Test
  void refusesAPayloadChangedAfterSigning() throws Exception {
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    byte[] payload = doc.payload();
    payload[0] ^= 1;
    SignedDocument changed = new SignedDocument(doc.kind(), payload, doc.signatures(), doc.chain());
    assertThat(issues(verify(changed, root1))).containsExactly(Issue.SIGNATURE_INVALID);
  }

  @Test
  void aSignatureForOneKindOfDocumentDoesNotHoldForAnother() throws Exception {
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    SignedDocument asCheckin = new SignedDocument(DocumentKind.CHECKIN_RESPONSE, doc.payload(), doc.signatures(), doc.chain());
    DocumentVerification v = new TrustVerifier(TrustAnchors.of(root1.verifyingKey()))
        .verifyRoleSigned(asCheckin, DocumentKind.CHECKIN_RESPONSE, Role.RELEASE, NOW, null);
    assertThat(issues(v)).containsExactly(Issue.SIGNATURE_INVALID);
  }

  @Test
  void revocationListsAccumulateAndCountUp() throws Exception {
    SignedDocument first = TrustAuthority.revoke(rootDoc1, root1, null, Set.of(key("a").keyId()), T0);
    SignedDocument second = TrustAuthority.revoke(rootDoc1, root1, RevocationList.decode(first.payload()),
        Set.of(key("b").keyId()), T0);
    RevocationList list = RevocationList.decode(second.payload());
    assertThat(list.version()).isEqualTo(2);
    assertThat(list.revoked()).containsExactlyInAnyOrder(key("a").keyId(), key("b").keyId());
  }

  @Test
  void signedDocumentsRoundTripAndRejectNonCanonicalBytes() throws Exception {
    SignedDocument doc = release(releaseKey, List.of(rootDoc1, certify(rootDoc1, root1, Role.RELEASE, releaseKey)));
    assertThat(SignedDocument.decode(doc.encode())).isEqualTo(doc);
    byte[] bytes = doc.encode();
    byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignedDocument.decode(trailing))
        .isInstanceOf(DocumentFormatException.class);
  }
}
