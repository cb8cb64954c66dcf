package dev.dala.ota.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every {@code ota.*} setting, with its default and what it is for. */
@ConfigMapping(prefix = "ota")
public interface OtaConfig {

  Keys keys();

  Storage storage();

  Publish publish();

  Checkin checkin();

  Device device();

  Rollout rollout();

  Bootstrap bootstrap();

  Bench bench();

  Dist dist();

  /** Where the server's signing keys live. */
  interface Keys {
    /** A folder in the layout {@code ota keys} writes: root-N.etf, release-*.key.pem/.cert.etf, session-*. */
    Path dir();
  }

  /** The S3-compatible object store for modules and bundles. */
  interface Storage {
    /** The store's endpoint, such as http://minio:9000. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** The bucket; created at start if it is missing. */
    @WithDefault("dala-ota")
    String bucket();

    @WithDefault("us-east-1")
    String region();
  }

  /** Limits and defaults for publishing releases. */
  interface Publish {
    /** The largest bundle upload accepted, in bytes. */
    @WithDefault("67108864")
    long maxBundleBytes();

    /** The most modules one bundle may carry. */
    @WithDefault("10000")
    int maxModules();

    /** How long a signed manifest stays valid. */
    @WithDefault("P180D")
    Duration manifestValidity();

    /** Modules stored in object storage at once while publishing. */
    @WithDefault("8")
    int uploadConcurrency();
  }

  /** The device check-in. */
  interface Checkin {
    /** How long a signed check-in answer stays valid (against freeze attacks). */
    @WithDefault("PT2M")
    Duration responseValidity();

    /** The largest check-in body accepted, in bytes. */
    @WithDefault("16384")
    int maxBodyBytes();

    /** How often batched device last-seen updates are written. */
    @WithDefault("PT1S")
    Duration lastSeenFlush();

    /**
     * The most device updates one pod buffers for its next batch write. Past it, updates are
     * dropped and counted; a slow database then costs last-seen precision, not memory.
     */
    @WithDefault("100000")
    int maxPendingDevices();

    /** How stale a device's last-seen time may get when nothing else about it changes. */
    @WithDefault("PT5M")
    Duration lastSeenResolution();

    /** How often each pod re-reads the deployment state version, besides change notifications. */
    @WithDefault("PT5S")
    Duration cacheRefresh();
  }

  /** The anonymous device API's protections. */
  interface Device {
    /** Requests per minute one install id may make. */
    @WithDefault("120")
    int requestsPerMinutePerInstall();

    /** Requests per minute one remote address may make. */
    @WithDefault("60000")
    int requestsPerMinutePerAddress();

    /** The largest event report accepted, in bytes. */
    @WithDefault("8192")
    int maxEventBytes();
  }

  /** Defaults for new deployments. */
  interface Rollout {
    /** Failures in a wave that halt the deployment. */
    @WithDefault("25")
    int failureThresholdCount();

    /** Failure rate in a wave that halts the deployment, once the wave has enough attempts. */
    @WithDefault("0.05")
    double failureThresholdRate();

    /** Attempts a wave needs before its failure rate counts. */
    @WithDefault("20")
    int failureMinSample();
  }

  /** The Erlang distribution endpoint and its delivery sessions (docs/protocol.md). */
  interface Dist {
    /** Whether this pod answers EPMD and distribution at all; check-ins offer sessions only when it does. */
    @WithDefault("true")
    boolean enabled();

    /** The node name devices connect to, the same on every pod: {@code ota@<public DNS name>}. */
    @WithDefault("ota@127.0.0.1")
    String nodeName();

    /** The address both listeners bind. */
    @WithDefault("0.0.0.0")
    String bindHost();

    /** EPMD's port; devices look the node up here. 0 picks a free port (tests). */
    @WithDefault("4369")
    int epmdPort();

    /** The distribution port EPMD hands out. 0 picks a free port (tests). */
    @WithDefault("4370")
    int port();

    /** Event loops accepting distribution connections; default one per core. */
    Optional<Integer> listeners();

    /** The host part of device node names; devices never listen, so it is never resolved. */
    @WithDefault("device.invalid")
    String deviceHost();

    /**
     * The AES-256 key, base64, that encrypts session cookies at rest. Every pod needs the same
     * one; without it the endpoint does not start.
     */
    Optional<String> cookieKey();

    /** How long a session may wait for its device to connect, from the check-in. */
    @WithDefault("PT2M")
    Duration sessionTtl();

    /** How long an ended session's row is kept for inspection. */
    @WithDefault("P7D")
    Duration sessionRetention();

    /** The handshake's deadline. */
    @WithDefault("PT10S")
    Duration handshakeTimeout();

    /** How long the server waits for the agent's module request after its offer. */
    @WithDefault("PT30S")
    Duration wantTimeout();

    /** How long the server waits for the agent's result after the last module. */
    @WithDefault("PT2M")
    Duration resultTimeout();

    /** The longest a whole session may take, transfer included. */
    @WithDefault("PT10M")
    Duration sessionTimeout();

    /** A tick is sent after this much silence. */
    @WithDefault("PT15S")
    Duration tickInterval();

    /** A peer silent this long, ticks included, is disconnected. */
    @WithDefault("PT75S")
    Duration idleTimeout();

    /** The largest frame a peer may send. */
    @WithDefault("1048576")
    int maxFrameBytes();

    /** The largest message a peer may send, fragments reassembled. */
    @WithDefault("1048576")
    int maxMessageBytes();

    /** The most fragments one incoming message may declare. */
    @WithDefault("64")
    int maxFragmentsPerMessage();

    /** Fragmented incoming messages one peer may have open at once. */
    @WithDefault("4")
    int maxFragmentedMessages();

    /** Outgoing messages are sent in fragments of this size. */
    @WithDefault("65536")
    int fragmentBytes();

    /** Open distribution connections per pod, handshakes included. */
    @WithDefault("20000")
    int maxConnections();

    /** Handshakes in progress per pod. */
    @WithDefault("1024")
    int maxPendingHandshakes();

    /** Handshakes in progress from one address; an IPv6 /64 counts as one address. */
    @WithDefault("32")
    int maxHandshakesPerAddress();

    /** EPMD connections open at once per pod; each lives for one request. */
    @WithDefault("1024")
    int maxEpmdConnections();

    /** Module bytes kept in memory for delivery, shared by all sessions. */
    @WithDefault("67108864")
    long moduleCacheBytes();

    /** Modules fetched from object storage at once for one session. */
    @WithDefault("8")
    int moduleFetchConcurrency();
  }

  /** Switches for benchmarks only. */
  interface Bench {
    /**
     * Serves {@code POST /bench/constant}, a bare Vert.x route answering a constant, as the
     * ceiling a benchmark compares the check-in with. Off everywhere but in benchmarks.
     */
    @WithDefault("false")
    boolean constantEndpoint();
  }

  /** First-run setup. */
  interface Bootstrap {
    /** When set and no organisation exists yet, create one with an admin token of this value. */
    Optional<String> adminToken();

    /** The name of that first organisation. */
    @WithDefault("default")
    String organisation();
  }
}
