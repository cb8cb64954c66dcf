package dev.dala.ota.release.ipa;

import dev.dala.ota.release.otp.OtpPruning;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.config.AgentConfigOptions;
import dev.dala.ota.release.preflight.IpaPreflight;
import dev.dala.ota.release.preflight.PreflightLimits;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota release ipa}: an App Store-clean, signed IPA. */
@Command(name = "ipa", mixinStandardHelpOptions = true,
    description = "Make an App Store-clean IPA from a built .app (or its parts): keep only .beam files and data "
        + "under otp/ within a size budget, fix Info.plist, embed the agent config and the provisioning profile "
        + "(checked against the app), sign with codesign (macOS) and pack it with its links and permissions.")
public final class IpaCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  /** A built .app, or the parts to make one. */
  static final class Input {
    @Option(names = "--app", paramLabel = "DIR", description = "The .app xcodebuild built.")
    Path app;

    @ArgGroup(exclusive = false)
    Parts parts;
  }

  /** The parts of an .app. */
  static final class Parts {
    @Option(names = "--executable", required = true, paramLabel = "FILE", description = "The main executable "
        + "(arm64 Mach-O).")
    Path executable;

    @Option(names = "--info-plist", required = true, paramLabel = "FILE", description = "Its Info.plist.")
    Path infoPlist;

    @Option(names = "--resources", paramLabel = "DIR", description = "Everything else the bundle holds.")
    Path resources;

    @Option(names = "--bundle-name", paramLabel = "NAME.app", description = "The bundle's folder name "
        + "(default: the executable's name + .app).")
    String bundleName;
  }

  @Option(names = "--otp", paramLabel = "DIR", description = "The OTP tree to embed as otp/ (replaces one in "
      + "the .app).")
  Path otpRoot;

  @Option(names = "--ebin", paramLabel = "DIR", description = "An ebin folder of the app (repeatable); goes to "
      + "otp/lib/APP/ebin.")
  List<Path> ebins = new ArrayList<>();

  @Mixin
  AgentConfigOptions configOptions;

  @Option(names = "--profile", required = true, paramLabel = "FILE", description = "The App Store "
      + ".mobileprovision.")
  Path profile;

  @Option(names = "--team-id", description = "The Apple team the profile must belong to.")
  String teamId;

  @Option(names = "--entitlements", paramLabel = "FILE", description = "The entitlements the app needs (a plist, "
      + "such as Xcode's .entitlements); each must be granted by the profile.")
  Path entitlements;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Signing:%n")
  Signing signing;

  /** codesign on macOS, or no signature on Linux. */
  static final class Signing {
    @Option(names = "--sign", paramLabel = "IDENTITY", description = "Sign with codesign as this identity "
        + "(macOS), such as \"Apple Distribution: Example (TEAMID)\".")
    String identity;

    @Option(names = "--unsigned", description = "Leave the IPA unsigned (Linux); sign it on a Mac.")
    boolean unsigned;
  }

  @Option(names = "--codesign-tool", defaultValue = "codesign", paramLabel = "PATH", description = "The codesign "
      + "to run (default: ${DEFAULT-VALUE}).")
  String codesignTool;

  @Option(names = "--minimum-os", paramLabel = "VERSION", description = "MinimumOSVersion (default: keep it, or "
      + "the executable's deployment target when missing).")
  String minimumOs;

  @Option(names = "--device-family", split = ",", paramLabel = "iphone,ipad", description = "UIDeviceFamily "
      + "(default: keep it, or iphone when missing).")
  List<String> deviceFamily;

  @Option(names = "--build-number", description = "CFBundleVersion to set (one to three integers).")
  String buildNumber;

  @Option(names = "--short-version", paramLabel = "VERSION", description = "CFBundleShortVersionString to set "
      + "(the version users see).")
  String shortVersion;

  @Option(names = "--keep-otp-app", paramLabel = "APP", description = "Keep an OTP application the default "
      + "list drops (repeatable).")
  List<String> keepApps = new ArrayList<>();

  @Option(names = "--drop-otp-app", paramLabel = "APP", description = "Drop another OTP application "
      + "(repeatable).")
  List<String> dropApps = new ArrayList<>();

  @Option(names = "--otp-budget", defaultValue = "52428800", description = "The most bytes otp/ may hold "
      + "(default: ${DEFAULT-VALUE}, 50 MiB).")
  long otpBudget;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The IPA to write.")
  Path out;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (otpBudget < 1) {
      throw ReleaseException.usage("--otp-budget must be positive");
    }
    if (buildNumber != null && !IpaPreflight.isBundleVersion(buildNumber)) {
      throw ReleaseException.usage("--build-number must be one to three period-separated integers");
    }
    IpaSpec.Builder builder = IpaSpec.builder()
        .otpRoot(otpRoot).ebins(ebins).config(configOptions.build("ios")).profile(profile).teamId(teamId)
        .requestedEntitlements(entitlements == null ? null : readEntitlements(entitlements))
        .plist(minimumOs, families(), buildNumber, shortVersion)
        .unusedApps(OtpPruning.unusedApps(keepApps, dropApps))
        .limits(PreflightLimits.DEFAULT.withOtpBudget(otpBudget))
        .signer(signing.unsigned ? new UnsignedBundle() : new CodesignSigner(codesignTool, signing.identity))
        .output(out);
    if (input.app != null) {
      builder.app(input.app);
    } else {
      builder.parts(input.parts.executable, input.parts.infoPlist, input.parts.resources, input.parts.bundleName);
    }
    IpaBuilder.Result result = new IpaBuilder().build(builder.build());
    PrintWriter printer = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ipa", result.ipa().toString());
      body.put("signed", result.signed());
      body.put("removed_files", result.pruned().files());
      body.put("removed_bytes", result.pruned().bytes());
      body.put("info_plist_changes", result.plistChanges());
      body.put("warnings", result.warnings());
      body.put("preflight", result.report().toMap());
      JsonOutput.print(printer, body);
    } else {
      printer.println((result.signed() ? "signed " : "built (unsigned) ") + result.ipa() + ", otp/ "
          + result.report().facts().get("otp_bytes") + " bytes; preflight passed");
      result.pruned().files().forEach((reason, count) -> printer.println("  removed " + count + " "
          + reason.replace('_', ' ') + " file(s), " + result.pruned().bytes().get(reason) + " bytes"));
      result.plistChanges().forEach(c -> printer.println("  Info.plist " + c));
      result.warnings().forEach(w -> spec.commandLine().getErr().println("ota: warning: " + w));
      if (!result.signed()) {
        spec.commandLine().getErr().println("ota: warning: the IPA is not signed; sign it with codesign on macOS "
            + "before uploading");
      }
    }
    return ExitCode.OK;
  }

  private List<Integer> families() {
    if (deviceFamily == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (String f : deviceFamily) {
      switch (f.trim()) {
        case "iphone" -> out.add(1);
        case "ipad" -> out.add(2);
        default -> throw ReleaseException.usage("--device-family takes iphone and/or ipad");
      }
    }
    return out;
  }

  private static NSDictionary readEntitlements(Path file) {
    try {
      if (PropertyListParser.parse(Files.readAllBytes(file)) instanceof NSDictionary d) {
        return d;
      }
      throw ReleaseException.badInput(file + ": not a dictionary of entitlements");
    } catch (ReleaseException e) {
      throw e;
    } catch (Exception e) {
      throw ReleaseException.badInput(file + ": not a property list: " + e.getMessage());
    }
  }
}
