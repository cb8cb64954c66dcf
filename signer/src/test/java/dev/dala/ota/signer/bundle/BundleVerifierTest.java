package dev.dala.ota.signer.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.manifest.DeviceState;
import dev.dala.ota.signer.manifest.ManifestVerifier;
import dev.dala.ota.signer.trust.TrustAnchors;
import dev.dala.ota.signer.trust.TrustVerifier;
import dev.dala.ota.signer.vectors.TestVectorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

  private final Map<String, byte[]> vectors;
  private final BundleVerifier verifier;
  private final DeviceState device = DeviceState.anyDevice(1, TestVectorSet.NOW);

  BundleVerifierTest() throws Exception {
    vectors = TestVectorSet.build();
    verifier = new BundleVerifier(new ManifestVerifier(new TrustVerifier(TrustAnchors.of(
        PemKeys.readVerifyingKey(new String(vectors.get("keys/ed25519-root-1.pub.pem")))))));
  }

  private BundleFile good() throws Exception {
    return BundleFile.read(vectors.get("bundles/bundle-v2.bundle"), BundleLimits.DEFAULT);
  }

  @Test
  void reportsAnExtraModuleAndAWrongSizeTogether() throws Exception {
    BundleFile good = good();
    List<BundleModule> modules = new ArrayList<>();
    modules.add(new BundleModule(good.modules().get(0).name(), new byte[3]));
    modules.add(good.modules().get(1));
    modules.add(new BundleModule("smuggled", new byte[] {1}));
    BundleVerification v = verifier.verify(new BundleFile(good.envelope(), modules), device, null, false);
    assertThat(v.codes()).containsExactly("module_size_mismatch", "module_unexpected");
  }

  @Test
  void aDeltaMayOmitModulesButNotChangeThem() throws Exception {
    BundleFile good = good();
    BundleFile delta = new BundleFile(good.envelope(), good.modules().subList(1, 2));
    assertThat(verifier.verify(delta, device, null, true).codes()).isEmpty();
    assertThat(verifier.verify(delta, device, null, false).codes()).containsExactly("module_missing");
  }

  @Test
  void aMalformedEnvelopeIsReportedNotThrown() {
    BundleFile junk = new BundleFile(new byte[] {1, 2, 3}, List.of());
    assertThat(verifier.verify(junk, device, null, false).codes()).containsExactly("malformed_document");
  }
}
