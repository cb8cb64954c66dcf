package dev.dala.ota.release.config;

import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.fingerprint.FingerprintJson;
import dev.dala.ota.signer.base.BaseFingerprint;
import dev.dala.ota.signer.keys.KeyFormatException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that make the agent config, shared by {@code release apk} and {@code release ipa}. */
public final class AgentConfigOptions {

  @Option(names = "--server-url", required = true, paramLabel = "URL", description = "Where the agent checks in.")
  String serverUrl;

  @Option(names = "--app-id", required = true, description = "The app id on the server.")
  String appId;

  @Option(names = "--channel-key", required = true, description = "The channel's key (from the admin API).")
  String channelKey;

  @Option(names = "--root", required = true, paramLabel = "PEM", description = "A root public key to pin "
      + "(root-N.pub.pem); repeatable, to pin the next root ahead of a rotation.")
  List<Path> roots = new ArrayList<>();

  @Option(names = "--fingerprint", required = true, paramLabel = "FILE", description = "The base fingerprint "
      + "`release fingerprint` wrote.")
  Path fingerprint;

  /** The config these options describe, for {@code platform}; every problem reported at once. */
  public AgentConfig build(String platform) {
    BaseFingerprint base = FingerprintJson.read(fingerprint);
    List<String> problems = new ArrayList<>();
    List<VerifyingKey> keys = new ArrayList<>();
    for (Path root : roots) {
      try {
        keys.add(PemKeys.readVerifyingKey(Files.readString(root, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        problems.add(root + ": cannot read: " + e.getMessage());
      } catch (KeyFormatException e) {
        problems.add(root + ": " + e.getMessage());
      }
    }
    if (!base.platform().equals(platform)) {
      problems.add(fingerprint + " is a fingerprint for " + base.platform() + ", not " + platform);
    }
    AgentConfig config = AgentConfig.of(serverUrl, appId, channelKey, base, keys);
    problems.addAll(config.problems().stream().filter(p -> !(p.startsWith("at least one") && !roots.isEmpty()))
        .toList());
    if (!problems.isEmpty()) {
      throw new ReleaseException(ExitCode.BAD_INPUT, "the agent config is not valid", problems);
    }
    return config;
  }

  public Path fingerprintFile() {
    return fingerprint;
  }
}
