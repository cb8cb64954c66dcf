package dev.dala.ota.server.session;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery session protocol, version 1 (docs/protocol.md). Every message is
 * {@code {dala_ota, 1, Type, Body}} with a map body. The server sends to the name
 * {@code dala_ota_session} registered on the device; the agent sends to the server pid from the
 * offer.
 */
public final class SessionMessages {

  public static final int VERSION = 1;
  public static final String AGENT_NAME = "dala_ota_session";
  public static final int MAX_REASON_CHARS = 512;

  static final ErlAtom TAG = ErlAtom.of("dala_ota");
  private static final ErlAtom SESSION = ErlAtom.of("session");

  /** What the agent may send. */
  public sealed interface AgentMessage {}

  /** The modules the agent lacks, by SHA-256. */
  public record Want(byte[] session, List<byte[]> modules) implements AgentMessage {}

  /** How the update ended on the device. */
  public record Result(byte[] session, Outcome outcome, String reason) implements AgentMessage {}

  /** Anything that is not a well-formed version-1 agent message. */
  public record Invalid(String why) implements AgentMessage {}

  /** The agent's outcomes: loaded now, staged for the next start, or failed with a reason. */
  public enum Outcome {
    APPLIED,
    STAGED,
    FAILED
  }

  private SessionMessages() {}

  static ErlTerm offer(byte[] session, ErlPid server, long sequence, byte[] manifest, int modules, long expiresAt) {
    return message("offer", body(session)
        .put("server", server)
        .put("sequence", sequence)
        .put("manifest", new ErlBinary(manifest))
        .put("modules", modules)
        .put("expires_at", expiresAt));
  }

  static ErlTerm module(byte[] session, byte[] sha256, String name, byte[] beam) {
    return message("module", body(session)
        .put("sha256", new ErlBinary(sha256))
        .putUtf8("name", name)
        .put("beam", new ErlBinary(beam)));
  }

  static ErlTerm sent(byte[] session, int modules, long bytes) {
    return message("sent", body(session).put("modules", modules).put("bytes", bytes));
  }

  static ErlTerm bye(byte[] session, String recorded) {
    return message("bye", body(session).put("recorded", ErlAtom.of(recorded)));
  }

  static ErlTerm abort(byte[] session, String reason) {
    return message("abort", body(session).put("reason", ErlAtom.of(reason)));
  }

  private static ErlMap.Builder body(byte[] session) {
    return ErlMap.builder().put("session", new ErlBinary(session));
  }

  private static ErlTerm message(String type, ErlMap.Builder body) {
    return ErlTuple.of(TAG, ErlInteger.of(VERSION), ErlAtom.of(type), body.build());
  }

  /** Reads an agent message; {@code maxModules} bounds a module request. */
  public static AgentMessage read(ErlTerm term, int maxModules) {
    if (!(term instanceof ErlTuple t) || t.arity() != 4 || !TAG.equals(t.get(0))) {
      return new Invalid("not_a_session_message");
    }
    if (!ErlInteger.of(VERSION).equals(t.get(1))) {
      return new Invalid("unsupported_version");
    }
    if (!(t.get(3) instanceof ErlMap body) || !(body.get(SESSION) instanceof ErlBinary session)) {
      return new Invalid("malformed");
    }
    String type = t.get(2) instanceof ErlAtom a ? a.name() : "";
    return switch (type) {
      case "want" -> want(session.bytes(), body.get(ErlAtom.of("modules")), maxModules);
      case "result" -> result(session.bytes(), body.get(ErlAtom.of("result")));
      default -> new Invalid("unknown_type");
    };
  }

  private static AgentMessage want(byte[] session, ErlTerm modules, int maxModules) {
    if (!(modules instanceof ErlList list) || !list.isProper()) {
      return new Invalid("malformed");
    }
    if (list.elements().size() > maxModules) {
      return new Invalid("too_many_modules");
    }
    List<byte[]> hashes = new ArrayList<>(list.elements().size());
    for (ErlTerm element : list.elements()) {
      if (!(element instanceof ErlBinary b) || b.size() != 32) {
        return new Invalid("malformed");
      }
      hashes.add(b.bytes());
    }
    return new Want(session, hashes);
  }

  private static AgentMessage result(byte[] session, ErlTerm result) {
    if (ErlAtom.of("applied").equals(result)) {
      return new Result(session, Outcome.APPLIED, null);
    }
    if (ErlAtom.of("staged").equals(result)) {
      return new Result(session, Outcome.STAGED, null);
    }
    if (result instanceof ErlTuple t && t.arity() == 2 && ErlAtom.of("failed").equals(t.get(0))) {
      return new Result(session, Outcome.FAILED, reasonText(t.get(1)));
    }
    return new Invalid("malformed");
  }

  /** A device's failure reason as printable text of bounded length. */
  static String reasonText(ErlTerm reason) {
    String text = switch (reason) {
      case ErlAtom a -> a.name();
      case ErlBinary b -> new String(b.bytes(), StandardCharsets.UTF_8);
      default -> reason.toString();
    };
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
    text.codePoints().limit(MAX_REASON_CHARS)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
