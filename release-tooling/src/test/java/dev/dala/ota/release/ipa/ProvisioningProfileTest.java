package dev.dala.ota.release.ipa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.release.support.Profiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningProfileTest {

  @TempDir
  Path dir;

  @Test
  void readsTheSignedPlist() throws Exception {
    ProvisioningProfile profile = ProvisioningProfile.parse(Files.readAllBytes(
        Profiles.write(dir, "p", Profiles.Spec.appStore())));
    assertThat(profile.teamIds()).containsExactly(Profiles.TEAM);
    assertThat(profile.applicationIdentifier()).isEqualTo(Profiles.TEAM + "." + Profiles.BUNDLE_ID);
    assertThat(profile.expiration()).isAfter(Instant.now());
    assertThat(new String(profile.entitlementsXml(), StandardCharsets.UTF_8)).contains("application-identifier");
    assertThat(ProfileCheck.check(profile, Profiles.BUNDLE_ID, Profiles.TEAM, Instant.now(), null).problems())
        .isEmpty();
  }

  @Test
  void refusesAnAlteredProfile() throws Exception {
    byte[] bytes = Files.readAllBytes(Profiles.write(dir, "p", Profiles.Spec.appStore()));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("Dala Tests");
    bytes[at] = 'X';
    assertThatThrownBy(() -> ProvisioningProfile.parse(bytes)).isInstanceOf(ProfileException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void wildcardProfilesCoverTheirPrefix() throws Exception {
    ProvisioningProfile profile = ProvisioningProfile.parse(Files.readAllBytes(
        Profiles.write(dir, "w", Profiles.Spec.appStore().forApp("com.example.*"))));
    assertThat(ProfileCheck.check(profile, "com.example.dala", null, Instant.now(), null).problems()).isEmpty();
    assertThat(ProfileCheck.check(profile, "org.other.dala", null, Instant.now(), null).problems())
        .singleElement().asString().contains("not org.other.dala");
  }

  @Test
  void warnsAboutAProfileThatExpiresSoon() throws Exception {
    ProvisioningProfile profile = ProvisioningProfile.parse(Files.readAllBytes(Profiles.write(dir, "s",
        Profiles.Spec.appStore().expiresAt(Instant.now().plusSeconds(86_400)))));
    ProfileCheck.Result result = ProfileCheck.check(profile, Profiles.BUNDLE_ID, null, Instant.now(), null);
    assertThat(result.problems()).isEmpty();
    assertThat(result.warnings()).singleElement().asString().contains("expires");
  }
}
