package dev.dala.ota.server.support;

import static io.restassured.RestAssured.given;

import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.session.SessionKeyPair;
import dev.dala.ota.signer.trust.SignedDocument;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.Map;

/** A device as the server sees it: checks in and reports events over the device API. */
public final class TestDevice {

  public static final String ETF = "application/x-erlang-binary";

  public final String channelKey;
  public final String installId;
  public String platform;
  public String fingerprint;
  public String otpRelease;
  public long sequence;
  public String agentVersion = "0.1.0";
  /** The ephemeral X25519 key of the latest ETF check-in, as an agent makes one per check-in. */
  public SessionKeyPair sessionKeys;

  public TestDevice(String channelKey, String installId, String platform, String otpRelease, String fingerprint) {
    this.channelKey = channelKey;
    this.installId = installId;
    this.platform = platform;
    this.otpRelease = otpRelease;
    this.fingerprint = fingerprint;
  }

  public Map<String, Object> body() {
    Map<String, Object> body = new HashMap<>();
    body.put("channel_key", channelKey);
    body.put("install_id", installId);
    body.put("platform", platform);
    body.put("base_fingerprint", fingerprint);
    body.put("otp_release", otpRelease);
    body.put("current_sequence", sequence);
    body.put("agent_version", agentVersion);
    return body;
  }

  /** Checks in with JSON, as tools do. */
  public JsonPath checkin() {
    return given().contentType(ContentType.JSON).body(body()).post("/device/v1/checkin")
        .then().statusCode(200).extract().jsonPath();
  }

  /** Checks in with ETF, as agents do; returns the signed answer. */
  public SignedDocument checkinEtf() throws Exception {
    sessionKeys = SessionKeyPair.generate(new java.security.SecureRandom());
    byte[] request = EtfEncoder.encode(ErlMap.builder()
        .putUtf8("channel_key", channelKey)
        .putUtf8("install_id", installId)
        .putUtf8("platform", platform)
        .putUtf8("base_fingerprint", fingerprint)
        .putUtf8("otp_release", otpRelease)
        .put("current_sequence", sequence)
        .putUtf8("agent_version", agentVersion)
        .put("session_key", sessionKeys.publicKey())
        .build());
    byte[] answer = given().contentType(ETF).body(request).post("/device/v1/checkin")
        .then().statusCode(200).contentType(ETF).extract().asByteArray();
    return SignedDocument.decode(answer);
  }

  public static TermFields payload(SignedDocument answer) throws Exception {
    return TermFields.of(EtfDecoder.decode(answer.payload()), "checkin_response");
  }

  public void report(String kind, long releaseSequence, String reason) {
    Map<String, Object> body = new HashMap<>();
    body.put("channel_key", channelKey);
    body.put("install_id", installId);
    body.put("sequence", releaseSequence);
    body.put("kind", kind);
    if (reason != null) {
      body.put("reason", reason);
    }
    given().contentType(ContentType.JSON).body(body).post("/device/v1/events").then().statusCode(204);
  }
}
