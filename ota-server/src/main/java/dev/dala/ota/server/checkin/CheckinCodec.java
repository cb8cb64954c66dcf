package dev.dala.ota.server.checkin;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TermFields;

/**
 * Reads an agent's check-in, an ETF map with atom keys the agent and the server share:
 * {@code channel_key, install_id, platform, base_fingerprint, otp_release, current_sequence,
 * agent_version} and optionally {@code session_key}.
 */
public final class CheckinCodec {

  public static final String ETF = "application/x-erlang-binary";
  private static final EtfLimits LIMITS = EtfLimits.DEFAULT.withMaxDepth(3).withMaxTerms(64).withMaxBinaryBytes(512);

  private CheckinCodec() {}

  public static CheckinRequest fromEtf(byte[] body) {
    try {
      TermFields f = TermFields.of(EtfDecoder.decode(body, LIMITS), "checkin");
      return new CheckinRequest(f.utf8("channel_key", 128), f.utf8("install_id", 128), f.utf8("platform", 16),
          f.utf8("base_fingerprint", 64), f.utf8("otp_release", 8), f.nonNegative("current_sequence"),
          f.utf8("agent_version", 32), f.has("session_key") ? f.binary("session_key") : null);
    } catch (EtfException | TermFields.SchemaException e) {
      throw new OtaException(ErrorCode.MALFORMED_BODY, "not a check-in term: " + e.getMessage());
    }
  }
}
