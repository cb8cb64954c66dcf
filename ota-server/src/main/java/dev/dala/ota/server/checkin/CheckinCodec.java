package dev.dala.ota.server.checkin;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an agent's check-in: an ETF map with atom keys ({@code channel_key, install_id,
 * platform, base_fingerprint, otp_release, current_sequence, agent_version}, optionally
 * {@code session_key}) and binary or integer values.
 *
 * <p>This is the hottest path of the server, so it reads the bytes in place instead of
 * building a term tree: one pass, bounded by the body's own length, no allocation beyond the
 * field values. Anything else than that flat map is refused; unknown keys are skipped if their
 * values are binaries, integers or atoms, so agents can add fields.
 */
public final class CheckinCodec {

  public static final String ETF = "application/x-erlang-binary";
  static final int MAX_FIELDS = 32;
  static final int MAX_TEXT = 512;

  private final byte[] in;
  private int pos;

  private CheckinCodec(byte[] in) {
    this.in = in;
  }

  public static CheckinRequest fromEtf(byte[] body) {
    return new CheckinCodec(body).read();
  }

  private CheckinRequest read() {
    if (u8() != 131 || u8() != 116) {
      throw malformed("a check-in is a map");
    }
    long pairs = u32();
    if (pairs > MAX_FIELDS) {
      throw malformed("more than " + MAX_FIELDS + " fields");
    }
    String channelKey = null;
    String installId = null;
    String platform = null;
    String fingerprint = null;
    String otp = null;
    String agent = null;
    long sequence = -1;
    byte[] sessionKey = null;
    for (long i = 0; i < pairs; i++) {
      String key = atom();
      switch (key) {
        case "channel_key" -> channelKey = text();
        case "install_id" -> installId = text();
        case "platform" -> platform = text();
        case "base_fingerprint" -> fingerprint = text();
        case "otp_release" -> otp = text();
        case "agent_version" -> agent = text();
        case "current_sequence" -> sequence = integer();
        case "session_key" -> sessionKey = binary();
        default -> skipValue();
      }
    }
    if (pos != in.length) {
      throw malformed("bytes follow the map");
    }
    return new CheckinRequest(channelKey, installId, platform, fingerprint, otp, sequence, agent, sessionKey);
  }

  private String atom() {
    int tag = u8();
    int length = switch (tag) {
      case 119, 115 -> u8();
      case 118, 100 -> u16();
      default -> throw malformed("keys are atoms");
    };
    need(length);
    String name = new String(in, pos, length, tag == 119 || tag == 118 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    pos += length;
    return name;
  }

  private String text() {
    byte[] bytes = binary();
    if (bytes.length > MAX_TEXT) {
      throw malformed("a field is longer than " + MAX_TEXT + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private byte[] binary() {
    if (u8() != 109) {
      throw malformed("expected a binary");
    }
    long length = u32();
    if (length > MAX_TEXT) {
      throw malformed("a binary is longer than " + MAX_TEXT + " bytes");
    }
    need((int) length);
    byte[] out = java.util.Arrays.copyOfRange(in, pos, pos + (int) length);
    pos += (int) length;
    return out;
  }

  private long integer() {
    int tag = u8();
    return switch (tag) {
      case 97 -> u8();
      case 98 -> (int) u32();
      case 110 -> {
        int n = u8();
        int sign = u8();
        if (n > 8 || sign != 0) {
          throw malformed("the sequence must be a non-negative 64-bit integer");
        }
        need(n);
        long value = 0;
        for (int i = n - 1; i >= 0; i--) {
          value = (value << 8) | (in[pos + i] & 0xFFL);
        }
        pos += n;
        if (value < 0) {
          throw malformed("the sequence must be a non-negative 64-bit integer");
        }
        yield value;
      }
      default -> throw malformed("expected an integer");
    };
  }

  private void skipValue() {
    int tag = in.length > pos ? in[pos] & 0xFF : -1;
    switch (tag) {
      case 109 -> binary();
      case 97, 98, 110 -> integer();
      case 119, 115, 118, 100 -> atom();
      default -> throw malformed("unknown fields must hold binaries, integers or atoms");
    }
  }

  private int u8() {
    need(1);
    return in[pos++] & 0xFF;
  }

  private int u16() {
    need(2);
    int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  private long u32() {
    need(4);
    long v = ((in[pos] & 0xFFL) << 24) | ((in[pos + 1] & 0xFFL) << 16) | ((in[pos + 2] & 0xFFL) << 8) | (in[pos + 3] & 0xFFL);
    pos += 4;
    return v;
  }

  private void need(int n) {
    if (n < 0 || n > in.length - pos) {
      throw malformed("the term ends too soon");
    }
  }

  private static OtaException malformed(String detail) {
    return new OtaException(ErrorCode.MALFORMED_BODY, "not a check-in term: " + detail);
  }
}
