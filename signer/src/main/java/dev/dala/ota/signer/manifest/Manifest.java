package dev.dala.ota.signer.manifest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The document a device verifies before it loads a release: which app, which sequence (a
 * 64-bit number that only grows per app), which bases it runs on, every module with its hash,
 * how to apply it, and the window in which it may be applied.
 */
public record Manifest(
    String app,
    long sequence,
    String label,
    List<CompatibleBase> bases,
    List<ManifestModule> modules,
    ApplyMode applyMode,
    Instant issuedAt,
    Instant expiresAt,
    String minAgentVersion) {

  public static final int MAX_MODULES = 10_000;
  public static final int MAX_BASES = 64;
  public static final int MAX_TEXT_BYTES = 256;

  public Manifest {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(applyMode, "applyMode");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(minAgentVersion, "minAgentVersion");
    bases = List.copyOf(bases);
    // Modules are kept in name order so that one release has exactly one manifest byte form.
    List<ManifestModule> sorted = new ArrayList<>(modules);
    sorted.sort(ManifestModule.BY_NAME);
    modules = List.copyOf(sorted);
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
    if (modules.size() > MAX_MODULES || bases.size() > MAX_BASES) {
      throw new IllegalArgumentException("too many modules or bases");
    }
    Set<String> names = new HashSet<>();
    for (ManifestModule m : modules) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("module " + m.name() + " is listed twice");
      }
    }
    AgentVersion.parse(minAgentVersion);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A copy that differs only in what a server sets when it publishes. */
  public Manifest withPublication(long newSequence, List<CompatibleBase> newBases, Instant newIssuedAt, Instant newExpiresAt) {
    return new Manifest(app, newSequence, label, newBases, modules, applyMode, newIssuedAt, newExpiresAt, minAgentVersion);
  }

  public ManifestModule module(String name) {
    return modules.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  /** Builds a {@link Manifest}; {@code app}, {@code label} and the times are required. */
  public static final class Builder {
    private String app;
    private long sequence;
    private String label;
    private final List<CompatibleBase> bases = new ArrayList<>();
    private final List<ManifestModule> modules = new ArrayList<>();
    private ApplyMode applyMode = ApplyMode.HOT;
    private Instant issuedAt;
    private Instant expiresAt;
    private String minAgentVersion = "0.1.0";

    public Builder app(String value) {
      app = value;
      return this;
    }

    public Builder sequence(long value) {
      sequence = value;
      return this;
    }

    public Builder label(String value) {
      label = value;
      return this;
    }

    public Builder base(CompatibleBase value) {
      bases.add(value);
      return this;
    }

    public Builder bases(List<CompatibleBase> values) {
      bases.addAll(values);
      return this;
    }

    public Builder module(ManifestModule value) {
      modules.add(value);
      return this;
    }

    public Builder modules(List<ManifestModule> values) {
      modules.addAll(values);
      return this;
    }

    public Builder applyMode(ApplyMode value) {
      applyMode = value;
      return this;
    }

    public Builder issuedAt(Instant value) {
      issuedAt = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      expiresAt = value;
      return this;
    }

    public Builder minAgentVersion(String value) {
      minAgentVersion = value;
      return this;
    }

    public Manifest build() {
      return new Manifest(app, sequence, label, bases, modules, applyMode, issuedAt, expiresAt, minAgentVersion);
    }
  }
}
