package dev.dala.ota.server.dist.internal;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlInteger;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlRef;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.ErlTuple;

/**
 * Distribution control messages (erl_dist_protocol.md, "Protocol between connected nodes"):
 * the ones the endpoint acts on, read from their tuples, and the ones it writes.
 */
public sealed interface Control {

  int LINK = 1;
  int SEND = 2;
  int EXIT = 3;
  int UNLINK = 4;
  int REG_SEND = 6;
  int GROUP_LEADER = 7;
  int EXIT2 = 8;
  int SEND_TT = 12;
  int EXIT_TT = 13;
  int REG_SEND_TT = 16;
  int EXIT2_TT = 18;
  int MONITOR_P = 19;
  int DEMONITOR_P = 20;
  int MONITOR_P_EXIT = 21;
  int SEND_SENDER = 22;
  int SEND_SENDER_TT = 23;
  int PAYLOAD_EXIT = 24;
  int PAYLOAD_MONITOR_P_EXIT = 28;
  int SPAWN_REQUEST = 29;
  int ALIAS_SEND_TT = 34;
  int UNLINK_ID = 35;
  int UNLINK_ID_ACK = 36;

  ErlAtom EMPTY_ATOM = ErlAtom.of("");

  /** SEND, SEND_SENDER and their trace-token forms; {@code from} is null for plain SEND. */
  record Send(ErlPid from, ErlTerm to, ErlTerm message) implements Control {}

  /** REG_SEND: a message to a registered name. The endpoint registers none. */
  record RegSend(ErlTerm from, ErlTerm name, ErlTerm message) implements Control {}

  record Link(ErlPid from, ErlPid to) implements Control {}

  /** UNLINK_ID; the id is echoed back in the acknowledgement exactly as received. */
  record UnlinkId(ErlTerm id, ErlPid from, ErlPid to) implements Control {}

  /** EXIT (a linked process ended) or EXIT2 (an exit signal sent with {@code exit/2}). */
  record Exit(ErlPid from, ErlPid to, ErlTerm reason, boolean signal) implements Control {}

  record Monitor(ErlPid from, ErlTerm target, ErlRef ref) implements Control {}

  record Demonitor(ErlPid from, ErlTerm target, ErlRef ref) implements Control {}

  /** Something the endpoint never acts on: a known operation it did not negotiate or ignores. */
  record Ignored(int op) implements Control {}

  /** An operation number the protocol does not define, or a malformed control tuple. */
  record Unknown(int op) implements Control {}

  /** Whether a payload term follows a control message with this operation. */
  static boolean hasPayload(int op) {
    return op == SEND || op == REG_SEND || op == SEND_TT || op == REG_SEND_TT || op == SEND_SENDER
        || op == SEND_SENDER_TT || (op >= PAYLOAD_EXIT && op <= PAYLOAD_MONITOR_P_EXIT) || op == SPAWN_REQUEST
        || op == SPAWN_REQUEST + 1 || op == 33 || op == ALIAS_SEND_TT;
  }

  /** The operation number of a control tuple, or -1 when it is not one. */
  static int opOf(ErlTerm control) {
    if (control instanceof ErlTuple t && t.arity() >= 1 && t.get(0) instanceof ErlInteger i && i.fitsInLong()
        && i.longValue() >= 0 && i.longValue() < 256) {
      return (int) i.longValue();
    }
    return -1;
  }

  /** Reads a control tuple and its payload (null when none). */
  static Control read(ErlTerm control, ErlTerm payload) {
    int op = opOf(control);
    if (op < 0) {
      return new Unknown(-1);
    }
    ErlTuple t = (ErlTuple) control;
    Control known = switch (op) {
      case SEND, SEND_TT -> t.arity() >= 3 ? new Send(null, t.get(2), payload) : null;
      case SEND_SENDER, SEND_SENDER_TT -> t.arity() >= 3 && t.get(1) instanceof ErlPid from
          ? new Send(from, t.get(2), payload) : null;
      case REG_SEND, REG_SEND_TT -> t.arity() >= 4 ? new RegSend(t.get(1), t.get(3), payload) : null;
      case LINK -> t.arity() == 3 && t.get(1) instanceof ErlPid from && t.get(2) instanceof ErlPid to
          ? new Link(from, to) : null;
      case UNLINK_ID -> t.arity() == 4 && t.get(2) instanceof ErlPid from && t.get(3) instanceof ErlPid to
          ? new UnlinkId(t.get(1), from, to) : null;
      case EXIT, EXIT_TT, EXIT2, EXIT2_TT -> t.arity() >= 4 && t.get(1) instanceof ErlPid from
          && t.get(2) instanceof ErlPid to
          ? new Exit(from, to, t.get(t.arity() - 1), op == EXIT2 || op == EXIT2_TT) : null;
      case MONITOR_P -> t.arity() == 4 && t.get(1) instanceof ErlPid from && t.get(3) instanceof ErlRef ref
          ? new Monitor(from, t.get(2), ref) : null;
      case DEMONITOR_P -> t.arity() == 4 && t.get(1) instanceof ErlPid from && t.get(3) instanceof ErlRef ref
          ? new Demonitor(from, t.get(2), ref) : null;
      case UNLINK, GROUP_LEADER, MONITOR_P_EXIT, UNLINK_ID_ACK -> new Ignored(op);
      default -> op <= UNLINK_ID_ACK ? new Ignored(op) : new Unknown(op);
    };
    return known != null ? known : new Unknown(op);
  }

  static ErlTuple sendSender(ErlPid from, ErlPid to) {
    return ErlTuple.of(ErlInteger.of(SEND_SENDER), from, to);
  }

  static ErlTuple send(ErlPid to) {
    return ErlTuple.of(ErlInteger.of(SEND), EMPTY_ATOM, to);
  }

  static ErlTuple regSend(ErlPid from, ErlAtom name) {
    return ErlTuple.of(ErlInteger.of(REG_SEND), from, EMPTY_ATOM, name);
  }

  static ErlTuple exit(ErlPid from, ErlPid to, ErlTerm reason) {
    return ErlTuple.of(ErlInteger.of(EXIT), from, to, reason);
  }

  static ErlTuple unlinkIdAck(ErlTerm id, ErlPid from, ErlPid to) {
    return ErlTuple.of(ErlInteger.of(UNLINK_ID_ACK), id, from, to);
  }

  static ErlTuple monitorExit(ErlTerm target, ErlPid watcher, ErlRef ref, ErlTerm reason) {
    return ErlTuple.of(ErlInteger.of(MONITOR_P_EXIT), target, watcher, ref, reason);
  }
}
