package dev.dala.ota.server.dist;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the distribution endpoint is configured with: names, ports, and every limit and
 * timeout it enforces. Build one with {@link #builder()}; each setter documents its default.
 */
public record DistSettings(
    String nodeName,
    String bindHost,
    int epmdPort,
    int distPort,
    int listeners,
    Duration handshakeTimeout,
    Duration epmdTimeout,
    Duration tickInterval,
    Duration idleTimeout,
    int maxHandshakeFrameBytes,
    int maxEpmdRequestBytes,
    int maxFrameBytes,
    int maxMessageBytes,
    int maxFragmentsPerMessage,
    int maxFragmentedMessages,
    int outboundFragmentBytes,
    int maxConnections,
    int maxPendingHandshakes,
    int maxHandshakesPerAddress,
    int maxEpmdConnections) {

  public DistSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(bindHost, "bindHost");
    NodeNames.requireValid(nodeName);
    for (Duration d : new Duration[] {handshakeTimeout, epmdTimeout, tickInterval, idleTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
    if (epmdPort < 0 || epmdPort > 65535 || distPort < 0 || distPort > 65535) {
      throw new IllegalArgumentException("ports must be 0..65535 (0 picks a free one)");
    }
    if (listeners < 1 || maxHandshakeFrameBytes < 64 || maxEpmdRequestBytes < 16 || maxFrameBytes < 1024
        || maxMessageBytes < 1024 || maxFragmentsPerMessage < 2 || maxFragmentedMessages < 1
        || outboundFragmentBytes < 1024 || maxConnections < 1 || maxPendingHandshakes < 1
        || maxHandshakesPerAddress < 1 || maxEpmdConnections < 1) {
      throw new IllegalArgumentException("a distribution limit is out of range");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The part of the node name before '@', which EPMD answers for. */
  public String alive() {
    return nodeName.substring(0, nodeName.indexOf('@'));
  }

  /** A builder with production defaults. */
  public static final class Builder {
    private String nodeName = "ota@127.0.0.1";
    private String bindHost = "0.0.0.0";
    private int epmdPort = 4369;
    private int distPort = 4370;
    private int listeners = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration epmdTimeout = Duration.ofSeconds(5);
    private Duration tickInterval = Duration.ofSeconds(15);
    private Duration idleTimeout = Duration.ofSeconds(75);
    private int maxHandshakeFrameBytes = 1024;
    private int maxEpmdRequestBytes = 512;
    private int maxFrameBytes = 1 << 20;
    private int maxMessageBytes = 1 << 20;
    private int maxFragmentsPerMessage = 64;
    private int maxFragmentedMessages = 4;
    private int outboundFragmentBytes = 64 * 1024;
    private int maxConnections = 20_000;
    private int maxPendingHandshakes = 1024;
    private int maxHandshakesPerAddress = 32;
    private int maxEpmdConnections = 1024;

    /** The server's node name, such as {@code ota@updates.example.com}; default {@code ota@127.0.0.1}. */
    public Builder nodeName(String value) {
      nodeName = value;
      return this;
    }

    /** The address both listeners bind; default all interfaces. */
    public Builder bindHost(String value) {
      bindHost = value;
      return this;
    }

    /** EPMD's port; default 4369, 0 picks a free port. */
    public Builder epmdPort(int value) {
      epmdPort = value;
      return this;
    }

    /** The distribution port EPMD hands out; default 4370, 0 picks a free port. */
    public Builder distPort(int value) {
      distPort = value;
      return this;
    }

    /** How many event loops accept distribution connections; default one per core. */
    public Builder listeners(int value) {
      listeners = value;
      return this;
    }

    /** The whole handshake must finish within this; default 10 s. Bounds slow peers. */
    public Builder handshakeTimeout(Duration value) {
      handshakeTimeout = value;
      return this;
    }

    /** An EPMD request must arrive within this; default 5 s. */
    public Builder epmdTimeout(Duration value) {
      epmdTimeout = value;
      return this;
    }

    /** A tick is sent when nothing else was sent for this long; default 15 s (net_ticktime 60 / 4). */
    public Builder tickInterval(Duration value) {
      tickInterval = value;
      return this;
    }

    /** A connection that sends nothing, not even ticks, for this long is closed; default 75 s. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    /** The largest handshake message; default 1 KiB (a node name is at most 255 characters). */
    public Builder maxHandshakeFrameBytes(int value) {
      maxHandshakeFrameBytes = value;
      return this;
    }

    /** The largest EPMD request; default 512 bytes. */
    public Builder maxEpmdRequestBytes(int value) {
      maxEpmdRequestBytes = value;
      return this;
    }

    /** The largest frame a peer may send after the handshake; default 1 MiB. */
    public Builder maxFrameBytes(int value) {
      maxFrameBytes = value;
      return this;
    }

    /** The largest message a peer may send, after reassembling fragments; default 1 MiB. */
    public Builder maxMessageBytes(int value) {
      maxMessageBytes = value;
      return this;
    }

    /** The most fragments one incoming message may declare; default 64. */
    public Builder maxFragmentsPerMessage(int value) {
      maxFragmentsPerMessage = value;
      return this;
    }

    /** How many fragmented messages a peer may have open at once; default 4. */
    public Builder maxFragmentedMessages(int value) {
      maxFragmentedMessages = value;
      return this;
    }

    /** Outgoing messages are cut into fragments of this size; default 64 KiB, as erts does. */
    public Builder outboundFragmentBytes(int value) {
      outboundFragmentBytes = value;
      return this;
    }

    /** Open distribution connections, handshakes included; default 20,000. */
    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    /** Handshakes in progress at once; default 1,024. */
    public Builder maxPendingHandshakes(int value) {
      maxPendingHandshakes = value;
      return this;
    }

    /**
     * Handshakes in progress from one address (an IPv6 /64 counts as one); default 32, since
     * carrier NAT puts many phones behind one address.
     */
    public Builder maxHandshakesPerAddress(int value) {
      maxHandshakesPerAddress = value;
      return this;
    }

    /** EPMD connections open at once; default 1,024 (each lives one request, 5 s at most). */
    public Builder maxEpmdConnections(int value) {
      maxEpmdConnections = value;
      return this;
    }

    public DistSettings build() {
      return new DistSettings(nodeName, bindHost, epmdPort, distPort, listeners, handshakeTimeout, epmdTimeout,
          tickInterval, idleTimeout, maxHandshakeFrameBytes, maxEpmdRequestBytes, maxFrameBytes, maxMessageBytes,
          maxFragmentsPerMessage, maxFragmentedMessages, outboundFragmentBytes, maxConnections, maxPendingHandshakes,
          maxHandshakesPerAddress, maxEpmdConnections);
    }
  }
}
