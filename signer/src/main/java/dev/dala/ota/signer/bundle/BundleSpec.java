package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.manifest.ApplyMode;
import dev.dala.ota.signer.manifest.CompatibleBase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to build a draft bundle from: the app, a label, the {@code ebin} directories, and the
 * manifest settings a publisher may choose. The server assigns the sequence and signs.
 */
public record BundleSpec(
    String app,
    String label,
    List<Path> ebinDirs,
    ApplyMode applyMode,
    List<CompatibleBase> bases,
    String minAgentVersion,
    boolean strip,
    Instant now,
    Duration validity) {

  public BundleSpec {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(label, "label");
    ebinDirs = List.copyOf(ebinDirs);
    bases = List.copyOf(bases);
    Objects.requireNonNull(applyMode, "applyMode");
    Objects.requireNonNull(minAgentVersion, "minAgentVersion");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(validity, "validity");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link BundleSpec} with hot apply, stripping, agent 0.1.0 and a 90-day validity by default. */
  public static final class Builder {
    private String app;
    private String label;
    private final List<Path> ebinDirs = new ArrayList<>();
    private ApplyMode applyMode = ApplyMode.HOT;
    private final List<CompatibleBase> bases = new ArrayList<>();
    private String minAgentVersion = "0.1.0";
    private boolean strip = true;
    private Instant now = Instant.now();
    private Duration validity = Duration.ofDays(90);

    public Builder app(String value) {
      app = value;
      return this;
    }

    public Builder label(String value) {
      label = value;
      return this;
    }

    public Builder ebinDir(Path value) {
      ebinDirs.add(value);
      return this;
    }

    public Builder ebinDirs(List<Path> values) {
      ebinDirs.addAll(values);
      return this;
    }

    public Builder applyMode(ApplyMode value) {
      applyMode = value;
      return this;
    }

    public Builder base(CompatibleBase value) {
      bases.add(value);
      return this;
    }

    public Builder minAgentVersion(String value) {
      minAgentVersion = value;
      return this;
    }

    public Builder strip(boolean value) {
      strip = value;
      return this;
    }

    public Builder now(Instant value) {
      now = value;
      return this;
    }

    public Builder validity(Duration value) {
      validity = value;
      return this;
    }

    public BundleSpec build() {
      return new BundleSpec(app, label, ebinDirs, applyMode, bases, minAgentVersion, strip, now, validity);
    }
  }
}
