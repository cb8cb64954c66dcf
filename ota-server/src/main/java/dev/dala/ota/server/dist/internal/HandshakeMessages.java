package dev.dala.ota.server.dist.internal;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The version-6 handshake messages an accepting node reads and writes (erl_dist_protocol.md).
 * Every message here is a 2-byte-length frame; the frame's payload starts with its tag.
 */
public final class HandshakeMessages {

  /** The initiator's 'N': its flags, creation and node name. */
  public record Name(long flags, long creation, String node) {}

  /** The initiator's 'r': its own challenge and the digest of ours. */
  public record ChallengeReply(long challenge, byte[] digest) {}

  private static final int TAG_NAME = 'N';
  private static final int TAG_OLD_NAME = 'n';
  private static final int TAG_REPLY = 'r';

  private HandshakeMessages() {}

  /** Whether the frame is the version-5 'n' name message, which OTP 25+ never sends to us. */
  public static boolean isOldName(byte[] frame) {
    return frame.length > 0 && frame[0] == TAG_OLD_NAME;
  }

  /** Parses 'N' Flags:64 Creation:32 NameLength:16 Name; empty when the frame is malformed. */
  public static Optional<Name> parseName(byte[] frame) {
    if (frame.length < 15 || frame[0] != TAG_NAME) {
      return Optional.empty();
    }
    Buffer b = Buffer.buffer(frame);
    long flags = b.getLong(1);
    long creation = b.getUnsignedInt(9);
    int length = b.getUnsignedShort(13);
    if (length == 0 || 15 + length != frame.length) {
      return Optional.empty();
    }
    try {
      String node = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(frame, 15, length))
          .toString();
      return Optional.of(new Name(flags, creation, node));
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Parses 'r' Challenge:32 Digest:16. */
  public static Optional<ChallengeReply> parseReply(byte[] frame) {
    if (frame.length != 21 || frame[0] != TAG_REPLY) {
      return Optional.empty();
    }
    Buffer b = Buffer.buffer(frame);
    return Optional.of(new ChallengeReply(b.getUnsignedInt(1), b.getBytes(5, 21)));
  }

  /** 's' followed by the status text, such as "ok" or "not_allowed". */
  public static Buffer status(String status) {
    byte[] text = status.getBytes(StandardCharsets.US_ASCII);
    return Buffer.buffer(3 + text.length).appendUnsignedShort(1 + text.length).appendByte((byte) 's').appendBytes(text);
  }

  /** Our 'N' challenge: Flags:64 Challenge:32 Creation:32 NameLength:16 Name. */
  public static Buffer challenge(long flags, long challenge, long creation, String node) {
    byte[] name = node.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(2 + 19 + name.length)
        .appendUnsignedShort(19 + name.length)
        .appendByte((byte) 'N')
        .appendLong(flags)
        .appendUnsignedInt(challenge)
        .appendUnsignedInt(creation)
        .appendUnsignedShort(name.length)
        .appendBytes(name);
  }

  /** Our 'a' acknowledgement: the digest of the initiator's challenge. */
  public static Buffer ack(byte[] digest) {
    return Buffer.buffer(19).appendUnsignedShort(17).appendByte((byte) 'a').appendBytes(digest);
  }

  /**
   * MD5 of the cookie's characters followed by the challenge in decimal, as kernel's
   * dist_util computes it. The cookie here is always ASCII.
   */
  public static byte[] digest(long challenge, String cookie) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(cookie.getBytes(StandardCharsets.ISO_8859_1));
      md5.update(Long.toString(challenge & 0xFFFF_FFFFL).getBytes(StandardCharsets.US_ASCII));
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }
}
