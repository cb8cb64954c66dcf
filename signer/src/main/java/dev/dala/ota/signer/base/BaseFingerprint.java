package dev.dala.ota.signer.base;

import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What makes a native base build what it is, for update compatibility: its platform, OTP
 * release, ERTS and Elixir versions, the NIFs linked into it statically, and the MD5 of every
 * module it ships. {@link #id()} sums it up; release-tooling and the server compute the same id
 * from the same fields, so a base registered by one is recognised by the other.
 */
public record BaseFingerprint(
    String platform,
    String otpRelease,
    String ertsVersion,
    String elixirVersion,
    SortedSet<String> staticNifs,
    SortedMap<String, String> moduleMd5s) {

  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern PLATFORM = Pattern.compile("ios|android|linux|macos");
  private static final Pattern OTP = Pattern.compile("\\d{2}");

  public BaseFingerprint {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(otpRelease, "otpRelease");
    Objects.requireNonNull(ertsVersion, "ertsVersion");
    Objects.requireNonNull(elixirVersion, "elixirVersion");
    staticNifs = Collections.unmodifiableSortedSet(new TreeSet<>(staticNifs));
    moduleMd5s = Collections.unmodifiableSortedMap(new TreeMap<>(moduleMd5s));
  }

  /** Every reason these fields cannot describe a base; empty when they can. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!PLATFORM.matcher(platform).matches()) {
      problems.add("platform must be ios, android, linux or macos");
    }
    if (!OTP.matcher(otpRelease).matches()) {
      problems.add("otp_release must be a two-digit OTP release, such as 29");
    }
    if (ertsVersion.isBlank() || ertsVersion.length() > 32) {
      problems.add("erts_version must be 1..32 characters");
    }
    if (elixirVersion.length() > 32) {
      problems.add("elixir_version must be at most 32 characters");
    }
    for (Map.Entry<String, String> e : moduleMd5s.entrySet()) {
      if (!MD5_HEX.matcher(e.getValue()).matches()) {
        problems.add("module_md5s[" + e.getKey() + "] must be 32 lowercase hex digits");
        break;
      }
    }
    return problems;
  }

  /** The fingerprint id: the first 32 hex digits of SHA-256 over this record's canonical term. */
  public String id() {
    List<ErlTerm> nifs = staticNifs.stream().map(n -> (ErlTerm) ErlBinary.utf8(n)).toList();
    ErlMap.Builder modules = ErlMap.builder();
    moduleMd5s.forEach((name, md5) -> modules.put(ErlBinary.utf8(name), ErlBinary.utf8(md5)));
    byte[] term = EtfEncoder.encode(ErlMap.builder()
        .put("format", 1)
        .putUtf8("platform", platform)
        .putUtf8("otp_release", otpRelease)
        .putUtf8("erts_version", ertsVersion)
        .putUtf8("elixir_version", elixirVersion)
        .put("static_nifs", ErlList.of(nifs))
        .put("module_md5s", modules.build())
        .build());
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(term)).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
