package dev.dala.ota.server.dist;

/**
 * What the endpoint reports about its traffic, for metrics. Every refusal, drop and close has
 * a reason, so that each bad-peer case shows up under its own name.
 */
public interface DistObserver {

  /** Why a connection was refused before or during the handshake. */
  enum Refusal {
    CONNECTION_LIMIT,
    HANDSHAKE_LIMIT,
    ADDRESS_LIMIT,
    MALFORMED_HANDSHAKE,
    OLD_PROTOCOL,
    MISSING_FLAGS,
    DYNAMIC_NAME,
    NOT_A_SESSION,
    UNKNOWN_SESSION,
    BAD_COOKIE,
    SESSION_TAKEN,
    HANDSHAKE_TIMEOUT,
    OVERSIZED_FRAME,
    PEER_CLOSED;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why an incoming message was dropped without closing the connection. */
  enum Drop {
    UNDECODABLE,
    UNKNOWN_OPERATION,
    UNSUPPORTED_OPERATION,
    REGISTERED_NAME,
    UNKNOWN_RECIPIENT;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why an established connection ended. */
  enum Closure {
    SESSION_ENDED,
    PEER_CLOSED,
    IDLE_TIMEOUT,
    OVERSIZED_FRAME,
    OVERSIZED_MESSAGE,
    FRAGMENT_VIOLATION,
    PROTOCOL_VIOLATION,
    SERVER_STOPPING;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What an EPMD request asked. */
  enum EpmdRequest {
    PORT_PLEASE,
    PORT_PLEASE_OTHER_NODE,
    NAMES,
    REGISTER_REFUSED,
    UNSUPPORTED,
    MALFORMED,
    TIMEOUT,
    CONNECTION_LIMIT;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Reports nothing. */
  DistObserver NONE = new DistObserver() {};

  default void epmd(EpmdRequest request) {}

  default void refused(Refusal reason) {}

  default void connected() {}

  default void closed(Closure reason) {}

  default void dropped(Drop reason) {}
}
