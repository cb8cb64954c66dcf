package dev.dala.ota.release.ipa;

import dev.dala.ota.release.otp.OtpPruning;

import com.dd.plist.NSDictionary;
import dev.dala.ota.release.config.AgentConfig;
import dev.dala.ota.release.preflight.PreflightLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One App Store IPA to build: a built .app, or its parts (executable, Info.plist, resources);
 * the OTP tree and BEAMs when they are not in the .app yet; the agent config; the provisioning
 * profile; Info.plist settings; the signer; and where to write it.
 */
public record IpaSpec(
    Path app,
    Path executable,
    Path infoPlist,
    Path resources,
    String bundleName,
    Path otpRoot,
    List<Path> ebins,
    AgentConfig config,
    Path profile,
    String teamId,
    NSDictionary requestedEntitlements,
    InfoPlistFixer.Settings plist,
    Set<String> unusedApps,
    PreflightLimits limits,
    BundleSigner signer,
    Instant now,
    Path output) {

  public IpaSpec {
    if ((app == null) == (executable == null)) {
      throw new IllegalArgumentException("give either a built .app or its executable");
    }
    ebins = List.copyOf(ebins);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(plist, "plist");
    unusedApps = Set.copyOf(unusedApps);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(output, "output");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a spec; see the record's fields. */
  public static final class Builder {
    private Path app;
    private Path executable;
    private Path infoPlist;
    private Path resources;
    private String bundleName;
    private Path otpRoot;
    private final List<Path> ebins = new ArrayList<>();
    private AgentConfig config;
    private Path profile;
    private String teamId;
    private NSDictionary requestedEntitlements;
    private InfoPlistFixer.Settings plist = new InfoPlistFixer.Settings(null, null, null, null);
    private Set<String> unusedApps = Set.copyOf(OtpPruning.UNUSED_APPS);
    private PreflightLimits limits = PreflightLimits.DEFAULT;
    private BundleSigner signer = new UnsignedBundle();
    private Instant now = Instant.now();
    private Path output;

    public Builder app(Path value) {
      app = value;
      return this;
    }

    public Builder parts(Path exe, Path plistFile, Path resourcesDir, String name) {
      executable = exe;
      infoPlist = plistFile;
      resources = resourcesDir;
      bundleName = name;
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

    public Builder profile(Path value) {
      profile = value;
      return this;
    }

    public Builder teamId(String value) {
      teamId = value;
      return this;
    }

    public Builder requestedEntitlements(NSDictionary value) {
      requestedEntitlements = value;
      return this;
    }

    public Builder plist(String minimumOs, List<Integer> deviceFamily, String buildNumber, String shortVersion) {
      plist = new InfoPlistFixer.Settings(minimumOs, deviceFamily, buildNumber, shortVersion);
      return this;
    }

    public Builder unusedApps(Set<String> value) {
      unusedApps = value;
      return this;
    }

    public Builder limits(PreflightLimits value) {
      limits = value;
      return this;
    }

    public Builder signer(BundleSigner value) {
      signer = value;
      return this;
    }

    public Builder now(Instant value) {
      now = value;
      return this;
    }

    public Builder output(Path value) {
      output = value;
      return this;
    }

    public IpaSpec build() {
      return new IpaSpec(app, executable, infoPlist, resources, bundleName, otpRoot, ebins, config, profile, teamId,
          requestedEntitlements, plist, unusedApps, limits, signer, now, output);
    }
  }
}
