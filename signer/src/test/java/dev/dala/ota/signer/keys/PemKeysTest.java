package dev.dala.ota.signer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.signer.keys.KeyFormatException.Reason;
import dev.dala.ota.testing.otp.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {

  /** RFC 8032 section 7.1, test 1. */
  private static final byte[] RFC8032_SECRET =
      HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String RFC8032_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void signsTheRfc8032TestVector() {
    SigningKey key = SigningKey.fromSeed(RFC8032_SECRET);
    assertThat(HexFormat.of().formatHex(key.verifyingKey().raw())).isEqualTo(RFC8032_PUBLIC);
    assertThat(HexFormat.of().formatHex(key.sign(new byte[0]))).isEqualTo(RFC8032_SIGNATURE);
    assertThat(key.verifyingKey().verify(new byte[0], HexFormat.of().parseHex(RFC8032_SIGNATURE))).isTrue();
    assertThat(key.verifyingKey().verify(new byte[] {0}, HexFormat.of().parseHex(RFC8032_SIGNATURE))).isFalse();
  }

  @Test
  void keyIdIsTheSha256OfTheRawPublicKey() throws Exception {
    SigningKey key = SigningKey.fromSeed(RFC8032_SECRET);
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(RFC8032_PUBLIC));
    assertThat(key.keyId().hex()).isEqualTo(HexFormat.of().formatHex(digest));
  }

  @Test
  void roundTripsPrivateAndPublicKeysThroughPem() throws Exception {
    SigningKey key = SigningKey.generate();
    SigningKey read = PemKeys.readSigningKey(PemKeys.writeSigningKey(key));
    assertThat(read.keyId()).isEqualTo(key.keyId());
    assertThat(PemKeys.readVerifyingKey(PemKeys.writeVerifyingKey(key.verifyingKey()))).isEqualTo(key.verifyingKey());
  }

  @Test
  void opensslReadsOurPrivateKeysAndWeReadItsKeys(@TempDir Path dir) throws Exception {
    SigningKey key = SigningKey.generate();
    Files.writeString(dir.resolve("ours.pem"), PemKeys.writeSigningKey(key));
    String derived = run(dir, "openssl", "pkey", "-in", "ours.pem", "-pubout").stdout();
    assertThat(PemKeys.readVerifyingKey(derived)).isEqualTo(key.verifyingKey());

    run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", "theirs.pem");
    String theirPublic = run(dir, "openssl", "pkey", "-in", "theirs.pem", "-pubout").stdout();
    SigningKey theirs = PemKeys.readSigningKey(Files.readString(dir.resolve("theirs.pem")));
    assertThat(theirs.verifyingKey()).isEqualTo(PemKeys.readVerifyingKey(theirPublic));
  }

  @Test
  void refusesPemThatIsNotAnEd25519Key() throws Exception {
    assertThat(reason(() -> PemKeys.readSigningKey("hello"))).isEqualTo(Reason.NOT_PEM);
    SigningKey key = SigningKey.generate();
    assertThat(reason(() -> PemKeys.readSigningKey(PemKeys.writeVerifyingKey(key.verifyingKey()))))
        .isEqualTo(Reason.WRONG_PEM_TYPE);
    var ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
    String ecPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(ec.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    assertThat(reason(() -> PemKeys.readVerifyingKey(ecPem))).isEqualTo(Reason.NOT_ED25519);
    String junk = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assertThat(reason(() -> PemKeys.readSigningKey(junk))).isEqualTo(Reason.MALFORMED_KEY);
  }

  @Test
  void neverPrintsTheSecret() {
    SigningKey key = SigningKey.fromSeed(RFC8032_SECRET);
    assertThat(key.toString()).doesNotContain("9d61b1").contains(key.keyId().shortForm());
  }

  @Test
  void rejectsWrongSizes() {
    assertThatThrownBy(() -> VerifyingKey.fromRaw(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThat(SigningKey.generate().verifyingKey().verify(new byte[1], new byte[63])).isFalse();
  }

  private interface KeyRead {
    Object read() throws KeyFormatException;
  }

  private static Reason reason(KeyRead read) {
    try {
      read.read();
    } catch (KeyFormatException e) {
      return e.reason();
    }
    throw new AssertionError("read without error");
  }

  private static ProcessResult run(Path dir, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    return ProcessResult.run(builder, Duration.ofSeconds(30), String.join(" ", command)).requireSuccess();
  }
}
