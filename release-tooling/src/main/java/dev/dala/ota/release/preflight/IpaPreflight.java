package dev.dala.ota.release.preflight;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.dala.ota.release.config.AgentConfig;
import dev.dala.ota.release.config.AgentConfigException;
import dev.dala.ota.release.macho.BinaryKind;
import dev.dala.ota.release.macho.MachOFormatException;
import dev.dala.ota.release.macho.MachOImage;
import dev.dala.ota.release.macho.MachOReader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an .app bundle as App Store Connect's validator does for the problems that rejected
 * Dala builds: stray binaries (90171), private selectors (50), Info.plist gaps (90065, 90507,
 * 90530, and 90562 and 90102 beside them), and the flattened CodeResources link (90071). Adds
 * what a dala-ota base needs: no Mach-O under otp/, otp/ within its budget, the agent config.
 */
public final class IpaPreflight {

  static final String OTP = "otp";
  static final String CODE_RESOURCES = "CodeResources";
  static final String SEAL = "_CodeSignature/CodeResources";
  static final String PROFILE = "embedded.mobileprovision";
  private static final Pattern BUILD_NUMBER = Pattern.compile("\\d{1,18}(\\.\\d{1,18}){0,2}");
  private static final Set<String> NESTED_BUNDLES = Set.of(".framework", ".appex", ".bundle", ".xpc");

  private final PreflightLimits limits;
  private final Set<String> privateSelectors;

  public IpaPreflight(PreflightLimits limits, Set<String> privateSelectors) {
    this.limits = limits;
    this.privateSelectors = Set.copyOf(privateSelectors);
  }

  /**
   * Checks a bundle. {@code signed} is false while {@code release ipa} checks its staging folder
   * before signing, when a missing signature is expected.
   */
  public PreflightReport check(AppSource app, String file, boolean signed) {
    Findings findings = new Findings();
    Map<String, Object> facts = new LinkedHashMap<>();
    String base = app.location() + "/";
    NSDictionary plist = infoPlist(app, base, findings);
    String executable = plist == null ? null : string(plist, "CFBundleExecutable");
    if (plist != null && executable == null) {
      findings.error(Check.MAIN_EXECUTABLE, base + "Info.plist", "CFBundleExecutable is missing");
    }
    Set<String> allowed = allowedExecutables(app, executable);
    long otpBytes = scanFiles(app, base, allowed, findings);
    facts.put("otp_bytes", otpBytes);
    if (otpBytes > limits.otpBudgetBytes()) {
      findings.error(Check.OTP_OVER_BUDGET, base + OTP, "otp/ holds " + otpBytes + " bytes; the budget is "
          + limits.otpBudgetBytes());
    }
    MachOImage main = executable == null ? null : mainImage(app, base, executable, findings);
    if (main != null) {
      facts.put("deployment_target", main.minOs());
    }
    if (plist != null) {
      checkPlist(plist, main, base + "Info.plist", findings);
    }
    checkCodeResources(app, base, signed, findings);
    checkAgentConfig(app, base, findings, facts);
    return new PreflightReport(file, "ipa", findings.toList(), facts);
  }

  private static NSDictionary infoPlist(AppSource app, String base, Findings findings) {
    AppEntry entry = app.find("Info.plist");
    if (entry == null || !entry.isFile()) {
      findings.error(Check.INFO_PLIST, base + "Info.plist", "missing; this is not an app bundle");
      return null;
    }
    try {
      NSObject parsed = PropertyListParser.parse(app.read(entry, 16L << 20));
      if (parsed instanceof NSDictionary dict) {
        return dict;
      }
      findings.error(Check.INFO_PLIST, base + "Info.plist", "not a dictionary");
    } catch (Exception e) {
      findings.error(Check.INFO_PLIST, base + "Info.plist", "cannot be parsed: " + e.getMessage());
    }
    return null;
  }

  /** The main executable and each nested bundle's own executable, which the store allows. */
  private static Set<String> allowedExecutables(AppSource app, String executable) {
    Set<String> allowed = new HashSet<>();
    if (executable != null) {
      allowed.add(executable);
    }
    for (AppEntry e : app.entries()) {
      if (e.type() == AppEntry.Type.DIRECTORY && NESTED_BUNDLES.stream().anyMatch(s -> e.path().endsWith(s))) {
        AppEntry nested = app.find(e.path() + "/Info.plist");
        if (nested != null && nested.isFile()) {
          try {
            if (PropertyListParser.parse(app.read(nested, 16L << 20)) instanceof NSDictionary d
                && string(d, "CFBundleExecutable") != null) {
              allowed.add(e.path() + "/" + string(d, "CFBundleExecutable"));
            }
          } catch (Exception ignored) {
            // A nested bundle with a broken plist has no allowed executable; its binary is reported.
          }
        }
      }
    }
    return allowed;
  }

  /** Reports every binary the store refuses, and returns the size of otp/. */
  private long scanFiles(AppSource app, String base, Set<String> allowed, Findings findings) {
    long otpBytes = 0;
    for (AppEntry e : app.entries()) {
      if (!e.isFile()) {
        continue;
      }
      boolean inOtp = e.isUnder(OTP);
      if (inOtp) {
        otpBytes += e.size();
      }
      if (allowed.contains(e.path()) || isSwiftSupportDylib(e)) {
        continue;
      }
      BinaryKind kind = BinaryKind.of(app.read(e, BinaryKind.HEAD_BYTES));
      String lower = e.fileName().toLowerCase(Locale.ROOT);
      boolean byName = lower.endsWith(".so") || lower.endsWith(".a") || lower.endsWith(".dylib");
      if (inOtp && kind.isMachO()) {
        findings.error(Check.OTP_MACH_O, base + e.path(), "a Mach-O file under otp/; only .beam files and data may "
            + "stay there");
      } else if (kind.isBinary() || byName) {
        findings.error(Check.STANDALONE_BINARY, base + e.path(), describe(kind, lower)
            + " is not permitted: an app may contain no standalone executables or libraries other than "
            + "CFBundleExecutable");
      } else if (inOtp && e.executable()) {
        findings.warning(Check.STANDALONE_BINARY, base + e.path(), "an executable file under otp/; "
            + "nothing there can be run on iOS");
      }
    }
    return otpBytes;
  }

  /** Xcode copies the Swift runtime into Frameworks/ as dylibs; the store accepts those. */
  private static boolean isSwiftSupportDylib(AppEntry e) {
    return e.path().startsWith("Frameworks/") && e.path().indexOf('/', 11) < 0 && e.fileName().endsWith(".dylib");
  }

  private static String describe(BinaryKind kind, String lower) {
    return switch (kind) {
      case MACH_O, MACH_O_UNIVERSAL -> "a Mach-O binary";
      case AR_ARCHIVE -> "a static library (.a)";
      case ELF -> "an ELF binary";
      default -> lower.endsWith(".a") ? "a static library (.a)" : "a shared library";
    };
  }

  private MachOImage mainImage(AppSource app, String base, String executable, Findings findings) {
    AppEntry entry = app.find(executable);
    if (entry == null || !entry.isFile()) {
      findings.error(Check.MAIN_EXECUTABLE, base + executable, "CFBundleExecutable names a file that is not there");
      return null;
    }
    if (entry.size() > limits.maxExecutableBytes()) {
      findings.error(Check.MAIN_EXECUTABLE, base + executable, "larger than " + limits.maxExecutableBytes()
          + " bytes; not scanned");
      return null;
    }
    byte[] bytes = app.read(entry, limits.maxExecutableBytes());
    MachOImage image;
    try {
      image = MachOReader.arm64(MachOReader.read(bytes));
    } catch (MachOFormatException e) {
      findings.error(Check.MAIN_EXECUTABLE, base + executable, "not a Mach-O executable: " + e.getMessage());
      return null;
    }
    if (image == null) {
      findings.error(Check.MAIN_EXECUTABLE, base + executable, "has no arm64 code; iOS devices run arm64");
      return null;
    }
    if (image.fileType() != MachOImage.FILE_EXECUTE) {
      findings.error(Check.MAIN_EXECUTABLE, base + executable, "is not an executable (Mach-O file type "
          + image.fileType() + ")");
    }
    for (String sectionName : List.of("__objc_methname", "__cstring")) {
      for (MachOImage.Section section : image.sections(sectionName)) {
        scanStrings(bytes, section, base + executable, findings);
      }
    }
    return image;
  }

  /** Reports each private selector found as a whole NUL-terminated string in the section. */
  private void scanStrings(byte[] file, MachOImage.Section section, String path, Findings findings) {
    if (section.offset() < 0) {
      return;
    }
    int start = (int) section.offset();
    int end = (int) Math.min(file.length, section.offset() + section.size());
    int from = start;
    Set<String> seen = new HashSet<>();
    for (int i = start; i <= end; i++) {
      if (i == end || file[i] == 0) {
        if (i > from && i - from < 512) {
          String s = new String(file, from, i - from, java.nio.charset.StandardCharsets.ISO_8859_1);
          if (privateSelectors.contains(s) && seen.add(s)) {
            findings.error(Check.PRIVATE_SELECTOR, path, "references the non-public selector " + s + " (in "
                + section.segment() + "," + section.name() + ")");
          }
        }
        from = i + 1;
      }
    }
  }

  private void checkPlist(NSDictionary plist, MachOImage main, String path, Findings findings) {
    String minimumOs = string(plist, "MinimumOSVersion");
    if (minimumOs == null) {
      findings.error(Check.MINIMUM_OS_VERSION, path, "MinimumOSVersion is missing");
      // The store then also finds no deployment target for the bundle and reports it apart.
      findings.error(Check.DEPLOYMENT_TARGET, path, "the bundle declares no deployment target (MinimumOSVersion)");
    } else if (!OsVersion.isValid(minimumOs)) {
      findings.error(Check.MINIMUM_OS_VERSION, path, "MinimumOSVersion \"" + minimumOs + "\" is not a version");
    }
    String platform = string(plist, "DTPlatformName");
    if (platform == null) {
      findings.error(Check.DT_PLATFORM_NAME, path, "DTPlatformName is missing; it must be iphoneos");
    } else if (!platform.equals("iphoneos")) {
      findings.error(Check.DT_PLATFORM_NAME, path, "DTPlatformName is " + platform + "; it must be iphoneos");
    }
    if (main != null && main.minOs() == null) {
      findings.error(Check.DEPLOYMENT_TARGET, path, "the main executable records no deployment target "
          + "(LC_BUILD_VERSION); link it with -mios-version-min or a target triple such as arm64-apple-ios15.0");
    } else if (main != null && main.platform() != MachOImage.PLATFORM_IOS) {
      findings.error(Check.DEPLOYMENT_TARGET, path, "the main executable is built for platform " + main.platform()
          + ", not iOS (2)");
    }
    if (OsVersion.isValid(minimumOs)) {
      if (OsVersion.compare(minimumOs, limits.minimumOs()) < 0) {
        findings.error(Check.DEPLOYMENT_TARGET, path, "MinimumOSVersion " + minimumOs + " is below "
            + limits.minimumOs() + ", the lowest deployment target the store accepts from current Xcode");
      }
      if (main != null && main.minOs() != null && OsVersion.compare(minimumOs, main.minOs()) < 0) {
        findings.error(Check.DEPLOYMENT_TARGET, path, "MinimumOSVersion " + minimumOs
            + " is below the executable's deployment target " + main.minOs());
      }
    }
    NSObject platforms = plist.objectForKey("CFBundleSupportedPlatforms");
    if (!(platforms instanceof NSArray a) || a.count() != 1 || !"iPhoneOS".equals(a.objectAtIndex(0).toString())) {
      findings.error(Check.SUPPORTED_PLATFORMS, path, "CFBundleSupportedPlatforms must be [iPhoneOS]");
    }
    NSObject family = plist.objectForKey("UIDeviceFamily");
    if (!(family instanceof NSArray f) || f.count() == 0 || !validFamilies(f)) {
      findings.error(Check.DEVICE_FAMILY, path, "UIDeviceFamily must list 1 (iPhone) and/or 2 (iPad)");
    }
    String build = string(plist, "CFBundleVersion");
    if (!isBundleVersion(build)) {
      findings.error(Check.BUILD_NUMBER, path, "CFBundleVersion " + (build == null ? "is missing" : "\"" + build
          + "\" is not one to three period-separated integers"));
    }
    String shortVersion = string(plist, "CFBundleShortVersionString");
    if (!isBundleVersion(shortVersion)) {
      findings.error(Check.BUILD_NUMBER, path, "CFBundleShortVersionString " + (shortVersion == null ? "is missing"
          : "\"" + shortVersion + "\" is not one to three period-separated integers"));
    }
    if (string(plist, "CFBundleIdentifier") == null) {
      findings.error(Check.BUNDLE_IDENTIFIER, path, "CFBundleIdentifier is missing");
    }
  }

  private static boolean validFamilies(NSArray families) {
    for (NSObject o : families.getArray()) {
      if (!(o instanceof NSNumber n) || (n.intValue() != 1 && n.intValue() != 2)) {
        return false;
      }
    }
    return true;
  }

  private static void checkCodeResources(AppSource app, String base, boolean signed, Findings findings) {
    AppEntry link = app.find(CODE_RESOURCES);
    if (link != null && link.type() != AppEntry.Type.SYMLINK) {
      findings.error(Check.CODE_RESOURCES_LINK, base + CODE_RESOURCES, "a regular file, not a symbolic link to "
          + SEAL + "; the archiver flattened the link (use release ipa, or ditto, never zip)");
    } else if (link != null && !SEAL.equals(link.linkTarget())) {
      findings.error(Check.CODE_RESOURCES_LINK, base + CODE_RESOURCES, "links to " + link.linkTarget()
          + ", not " + SEAL);
    }
    if (!signed) {
      return;
    }
    AppEntry seal = app.find(SEAL);
    if (seal == null || !seal.isFile()) {
      findings.error(Check.NOT_SIGNED, base + SEAL, "missing: the bundle is not code-signed");
    }
    AppEntry profile = app.find(PROFILE);
    if (profile == null || !profile.isFile()) {
      findings.error(Check.PROVISIONING_PROFILE, base + PROFILE, "missing: App Store builds embed their "
          + "provisioning profile");
    }
  }

  private static void checkAgentConfig(AppSource app, String base, Findings findings, Map<String, Object> facts) {
    AppEntry entry = app.find(AgentConfig.FILE_NAME);
    if (entry == null || !entry.isFile()) {
      findings.error(Check.AGENT_CONFIG, base + AgentConfig.FILE_NAME, "missing: the base pins no root and "
          + "names no fingerprint");
      return;
    }
    try {
      AgentConfig config = AgentConfig.decode(app.read(entry, 64 * 1024 + 1));
      facts.put("base_fingerprint", config.baseFingerprint());
      facts.put("pinned_roots", config.rootKeys().stream().map(k -> k.keyId().hex()).toList());
      ConfigChecks.check(config, "ios", base + AgentConfig.FILE_NAME, findings);
    } catch (AgentConfigException e) {
      findings.error(Check.AGENT_CONFIG, base + AgentConfig.FILE_NAME, "cannot be read: " + e.getMessage());
    }
  }

  /** CFBundleVersion and CFBundleShortVersionString: one to three period-separated integers. */
  public static boolean isBundleVersion(String version) {
    return version != null && BUILD_NUMBER.matcher(version).matches();
  }

  static String string(NSDictionary dict, String key) {
    NSObject value = dict.objectForKey(key);
    return value instanceof NSString s ? s.getContent() : null;
  }
}
