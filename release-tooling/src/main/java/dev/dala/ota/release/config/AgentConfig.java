package dev.dala.ota.release.config;

import dev.dala.ota.signer.base.BaseFingerprint;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.keys.VerifyingKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The agent's settings that a base build pins: where to check in, as which app and channel,
 * which root keys to trust and which base this build is. It travels inside the APK and IPA as
 * {@value #FILE_NAME}, one deterministic ETF map, so the agent reads it with
 * {@code binary_to_term(Bin, [safe])} and needs no JSON library.
 */
public record AgentConfig(
    String serverUrl,
    String app,
    String channelKey,
    String platform,
    String otpRelease,
    String baseFingerprint,
    List<VerifyingKey> rootKeys) {

  /** Where the file sits: under {@code assets/} in an APK, at the top of the .app in an IPA. */
  public static final String FILE_NAME = "dala_ota/config.etf";
  public static final int FORMAT = 1;
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{32}");
  private static final int MAX_TEXT = 2048;
  private static final int MAX_ROOTS = 16;

  public AgentConfig {
    Objects.requireNonNull(serverUrl, "serverUrl");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(channelKey, "channelKey");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(otpRelease, "otpRelease");
    Objects.requireNonNull(baseFingerprint, "baseFingerprint");
    rootKeys = List.copyOf(rootKeys);
  }

  /** A config for the base {@code fingerprint} describes. */
  public static AgentConfig of(String serverUrl, String app, String channelKey, BaseFingerprint fingerprint,
      List<VerifyingKey> rootKeys) {
    return new AgentConfig(serverUrl, app, channelKey, fingerprint.platform(), fingerprint.otpRelease(),
        fingerprint.id(), rootKeys);
  }

  /** Every reason this config would leave the agent unable to work; empty when there is none. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    try {
      URI uri = new URI(serverUrl);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
        problems.add("server URL must be an http:// or https:// URL with a host");
      }
    } catch (URISyntaxException e) {
      problems.add("server URL is not a URL: " + e.getMessage());
    }
    if (app.isBlank() || app.length() > 255) {
      problems.add("app id must be 1..255 characters");
    }
    if (channelKey.isBlank() || channelKey.length() > 255) {
      problems.add("channel key must be 1..255 characters");
    }
    if (!platform.equals("ios") && !platform.equals("android")) {
      problems.add("platform must be ios or android");
    }
    if (!FINGERPRINT.matcher(baseFingerprint).matches()) {
      problems.add("base fingerprint must be 32 lowercase hex digits");
    }
    if (rootKeys.isEmpty()) {
      problems.add("at least one pinned root key is required");
    }
    if (rootKeys.size() > MAX_ROOTS) {
      problems.add("at most " + MAX_ROOTS + " root keys");
    }
    return problems;
  }

  public byte[] encode() {
    List<ErlTerm> roots = rootKeys.stream().map(k -> (ErlTerm) ErlBinary.copyOf(k.raw())).toList();
    return EtfEncoder.encode(ErlMap.builder()
        .put("format", FORMAT)
        .putUtf8("server_url", serverUrl)
        .putUtf8("app", app)
        .putUtf8("channel_key", channelKey)
        .putUtf8("platform", platform)
        .putUtf8("otp_release", otpRelease)
        .putUtf8("base_fingerprint", baseFingerprint)
        .put("root_keys", ErlList.of(roots))
        .build());
  }

  /** Reads an embedded config, refusing anything but the canonical encoding of a valid map. */
  public static AgentConfig decode(byte[] bytes) throws AgentConfigException {
    if (bytes.length > 64 * 1024) {
      throw new AgentConfigException("larger than 64 KiB");
    }
    try {
      TermFields f = TermFields.of(EtfDecoder.decodeCanonical(bytes, EtfLimits.DEFAULT), "config");
      if (f.integer("format") != FORMAT) {
        throw new AgentConfigException("format " + f.integer("format") + " is not " + FORMAT);
      }
      List<VerifyingKey> roots = new ArrayList<>();
      for (ErlTerm term : f.list("root_keys", MAX_ROOTS)) {
        if (!(term instanceof ErlBinary b) || b.size() != VerifyingKey.SIZE) {
          throw new AgentConfigException("root_keys must hold 32-byte Ed25519 public keys");
        }
        roots.add(VerifyingKey.fromRaw(b.bytes()));
      }
      return new AgentConfig(f.utf8("server_url", MAX_TEXT), f.utf8("app", MAX_TEXT),
          f.utf8("channel_key", MAX_TEXT), f.utf8("platform", 16), f.utf8("otp_release", 8),
          f.utf8("base_fingerprint", 64), roots);
    } catch (EtfException | TermFields.SchemaException e) {
      throw new AgentConfigException(e.getMessage());
    }
  }
}
