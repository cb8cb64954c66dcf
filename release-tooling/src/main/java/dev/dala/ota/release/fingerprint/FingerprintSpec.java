package dev.dala.ota.release.fingerprint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a base fingerprint is computed from: the platform, the OTP tree the base embeds, the
 * app's ebin folders and the NIFs linked statically into the native binary. The versions the
 * tree records can be overridden for trees that do not record them.
 */
public record FingerprintSpec(
    String platform,
    Path otpRoot,
    List<Path> ebins,
    Set<String> staticNifs,
    String otpRelease,
    String ertsVersion,
    String elixirVersion,
    Set<String> excludedApps,
    int maxModules) {

  /** The server accepts at most this many modules in a base. */
  public static final int DEFAULT_MAX_MODULES = 100_000;

  public FingerprintSpec {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(otpRoot, "otpRoot");
    ebins = List.copyOf(ebins);
    staticNifs = new TreeSet<>(staticNifs);
    excludedApps = Set.copyOf(excludedApps);
    if (maxModules < 1) {
      throw new IllegalArgumentException("maxModules must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a spec; only the platform and the OTP root are required. */
  public static final class Builder {
    private String platform;
    private Path otpRoot;
    private final List<Path> ebins = new ArrayList<>();
    private final Set<String> staticNifs = new TreeSet<>();
    private String otpRelease;
    private String ertsVersion;
    private String elixirVersion;
    private final Set<String> excludedApps = new TreeSet<>();
    private int maxModules = DEFAULT_MAX_MODULES;

    public Builder platform(String value) {
      platform = value;
      return this;
    }

    public Builder otpRoot(Path value) {
      otpRoot = value;
      return this;
    }

    public Builder ebin(Path value) {
      ebins.add(value);
      return this;
    }

    public Builder ebins(List<Path> values) {
      ebins.addAll(values);
      return this;
    }

    public Builder staticNif(String value) {
      staticNifs.add(value);
      return this;
    }

    public Builder staticNifs(Iterable<String> values) {
      values.forEach(staticNifs::add);
      return this;
    }

    public Builder otpRelease(String value) {
      otpRelease = value;
      return this;
    }

    public Builder ertsVersion(String value) {
      ertsVersion = value;
      return this;
    }

    public Builder elixirVersion(String value) {
      elixirVersion = value;
      return this;
    }

    /** OTP applications the base does not ship (an iOS base drops the unused ones). */
    public Builder excludedApps(Iterable<String> values) {
      values.forEach(excludedApps::add);
      return this;
    }

    public Builder maxModules(int value) {
      maxModules = value;
      return this;
    }

    public FingerprintSpec build() {
      return new FingerprintSpec(platform, otpRoot, ebins, staticNifs, otpRelease, ertsVersion, elixirVersion,
          excludedApps, maxModules);
    }
  }
}
