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
