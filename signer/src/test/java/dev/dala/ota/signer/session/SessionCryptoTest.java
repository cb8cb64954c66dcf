package dev.dala.ota.signer.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SessionCryptoTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hkdfMatchesRfc5869CaseOne() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(HEX.formatHex(Hkdf.extract(salt, ikm)))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(Hkdf.derive(salt, ikm, info, 42)))
        .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void hkdfMatchesRfc5869CaseThreeWithEmptySaltAndInfo() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    assertThat(HEX.formatHex(Hkdf.extract(new byte[0], ikm)))
        .isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
    assertThat(HEX.formatHex(Hkdf.derive(new byte[0], ikm, new byte[0], 42)))
        .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void hkdfRefusesLengthsBeyond255Blocks() {
    assertThatThrownBy(() -> Hkdf.expand(new byte[32], new byte[0], Hkdf.MAX_LENGTH + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    assertThat(Hkdf.expand(new byte[32], new byte[0], Hkdf.MAX_LENGTH)).hasSize(Hkdf.MAX_LENGTH);
  }

  @Test
  void x25519MatchesRfc7748() {
    SessionKeyPair alice = SessionKeyPair.fromSecret(
        HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    SessionKeyPair bob = SessionKeyPair.fromSecret(
        HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertThat(HEX.formatHex(alice.publicKey()))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(bob.publicKey()))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertThat(HEX.formatHex(alice.sharedSecret(bob.publicKey()).orElseThrow())).isEqualTo(shared);
    assertThat(HEX.formatHex(bob.sharedSecret(alice.publicKey()).orElseThrow())).isEqualTo(shared);
  }

  @Test
  void refusesLowOrderPeerKeysThatForceAZeroSecret() {
    SessionKeyPair keys = SessionKeyPair.generate(new SecureRandom());
    assertThat(keys.sharedSecret(new byte[32])).isEmpty();
    assertThat(keys.sharedSecret(HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"))).isEmpty();
    assertThat(keys.sharedSecret(HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"))).isEmpty();
    assertThat(keys.sharedSecret(new byte[31])).isEmpty();
    assertThat(keys.sharedSecret(null)).isEmpty();
  }

  @Test
  void bothSidesDeriveTheSameCookie() {
    SecureRandom random = new SecureRandom();
    SessionKeyPair device = SessionKeyPair.generate(random);
    SessionKeyPair server = SessionKeyPair.generate(random);
    SessionTranscript transcript = transcript(device.publicKey(), server.publicKey(), 1_800_000_000L);
    SessionCookie serverSide = SessionCookie.derive(server.sharedSecret(device.publicKey()).orElseThrow(), transcript);
    SessionCookie deviceSide = SessionCookie.deriveForDevice(device, transcript).orElseThrow();
    assertThat(deviceSide).isEqualTo(serverSide);
    assertThat(serverSide.value()).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void theCookieChangesWithEveryTranscriptField() {
    SecureRandom random = new SecureRandom();
    SessionKeyPair device = SessionKeyPair.generate(random);
    SessionKeyPair server = SessionKeyPair.generate(random);
    byte[] shared = server.sharedSecret(device.publicKey()).orElseThrow();
    SessionTranscript base = transcript(device.publicKey(), server.publicKey(), 1_800_000_000L);
    SessionCookie cookie = SessionCookie.derive(shared, base);
    byte[] otherId = base.sessionId();
    otherId[0] ^= 1;
    for (SessionTranscript changed : new SessionTranscript[] {
        new SessionTranscript("install-other", base.devicePublic(), base.serverPublic(), base.sessionId(),
            base.deviceNode(), base.serverNode(), base.expiresAt()),
        new SessionTranscript(base.installId(), base.devicePublic(), base.serverPublic(), otherId, base.deviceNode(),
            base.serverNode(), base.expiresAt()),
        new SessionTranscript(base.installId(), base.devicePublic(), base.serverPublic(), base.sessionId(),
            "dala_other@device.invalid", base.serverNode(), base.expiresAt()),
        new SessionTranscript(base.installId(), base.devicePublic(), base.serverPublic(), base.sessionId(),
            base.deviceNode(), "ota@elsewhere", base.expiresAt()),
        new SessionTranscript(base.installId(), base.devicePublic(), base.serverPublic(), base.sessionId(),
            base.deviceNode(), base.serverNode(), base.expiresAt() + 1),
        new SessionTranscript(base.installId(), base.serverPublic(), base.devicePublic(), base.sessionId(),
            base.deviceNode(), base.serverNode(), base.expiresAt())}) {
      assertThat(SessionCookie.derive(shared, changed)).isNotEqualTo(cookie);
    }
  }

  @Test
  void aCookieNeverPrintsItsValue() {
    SessionCookie cookie = SessionCookie.of("ab".repeat(32));
    assertThat(cookie.toString()).doesNotContain("abab").contains("redacted");
    assertThatThrownBy(() -> SessionCookie.of("not a cookie")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deviceNodeNamesCarryTheSessionId() {
    byte[] id = HEX.parseHex("00112233445566778899aabbccddeeff");
    String node = SessionIds.deviceNode(id, "device.invalid");
    assertThat(node).isEqualTo("dala_00112233445566778899aabbccddeeff@device.invalid");
    assertThat(SessionIds.fromDeviceNode(node)).contains("00112233445566778899aabbccddeeff");
    assertThat(SessionIds.fromDeviceNode("dala_00112233445566778899AABBCCDDEEFF@h")).isEmpty();
    assertThat(SessionIds.fromDeviceNode("dala_0011@h")).isEmpty();
    assertThat(SessionIds.fromDeviceNode("dala_00112233445566778899aabbccddeeff@")).isEmpty();
    assertThat(SessionIds.fromDeviceNode("ota@127.0.0.1")).isEmpty();
    assertThat(SessionIds.fromDeviceNode(null)).isEmpty();
  }

  static SessionTranscript transcript(byte[] devicePublic, byte[] serverPublic, long expiresAt) {
    byte[] id = HEX.parseHex("00112233445566778899aabbccddeeff");
    return new SessionTranscript("install-0001", devicePublic, serverPublic, id,
        SessionIds.deviceNode(id, "device.invalid"), "ota@127.0.0.1", expiresAt);
  }
}
