package dev.dala.ota.release.apk;

import dev.dala.ota.release.config.AgentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One signed base APK to build: the unsigned APK Gradle made, what to embed in it, the key, an
 * optional key rotation, and where to write the result.
 */
public record ApkSpec(
    Path unsignedApk,
    Path otpRoot,
    List<Path> ebins,
    AgentConfig config,
    ApkSigningKey key,
    ApkSigningKey previousKey,
    Path lineage,
    int rotationMinSdk,
    long maxAssetBytes,
    Path output) {

  /** Assets beyond this are refused unless raised; a Dala base embeds tens of megabytes. */
  public static final long DEFAULT_MAX_ASSET_BYTES = 512L << 20;

  public ApkSpec {
    Objects.requireNonNull(unsignedApk, "unsignedApk");
    Objects.requireNonNull(otpRoot, "otpRoot");
    ebins = List.copyOf(ebins);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(output, "output");
    if ((previousKey == null) != (lineage == null)) {
      throw new IllegalArgumentException("a key rotation needs both the previous key and the lineage");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a spec; rotation and the asset limit are optional. */
  public static final class Builder {
    private Path unsignedApk;
    private Path otpRoot;
    private final List<Path> ebins = new ArrayList<>();
    private AgentConfig config;
    private ApkSigningKey key;
    private ApkSigningKey previousKey;
    private Path lineage;
    private int rotationMinSdk = ApkSigning.DEFAULT_ROTATION_MIN_SDK;
    private long maxAssetBytes = DEFAULT_MAX_ASSET_BYTES;
    private Path output;

    public Builder unsignedApk(Path value) {
      unsignedApk = value;
      return this;
    }

    public Builder otpRoot(Path value) {
      otpRoot = value;
      return this;
    }

    public Builder ebins(List<Path> values) {
      ebins.addAll(values);
      return this;
    }

    public Builder config(AgentConfig value) {
      config = value;
      return this;
    }

    public Builder key(ApkSigningKey value) {
      key = value;
      return this;
    }

    public Builder rotation(ApkSigningKey previous, Path lineageFile, int minSdk) {
      previousKey = previous;
      lineage = lineageFile;
      rotationMinSdk = minSdk;
      return this;
    }

    public Builder maxAssetBytes(long value) {
      maxAssetBytes = value;
      return this;
    }

    public Builder output(Path value) {
      output = value;
      return this;
    }

    public ApkSpec build() {
      return new ApkSpec(unsignedApk, otpRoot, ebins, config, key, previousKey, lineage, rotationMinSdk,
          maxAssetBytes, output);
    }
  }
}
