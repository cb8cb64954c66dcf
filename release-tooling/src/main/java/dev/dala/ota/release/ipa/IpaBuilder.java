package dev.dala.ota.release.ipa;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.dala.ota.release.otp.OtpPruning;
import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.OutputFile;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.cli.WorkDir;
import dev.dala.ota.release.config.AgentConfig;
import dev.dala.ota.release.macho.MachOFormatException;
import dev.dala.ota.release.macho.MachOImage;
import dev.dala.ota.release.macho.MachOReader;
import dev.dala.ota.release.preflight.DirectoryAppSource;
import dev.dala.ota.release.preflight.Finding;
import dev.dala.ota.release.preflight.IpaPreflight;
import dev.dala.ota.release.preflight.PreflightReport;
import dev.dala.ota.release.preflight.PrivateSelectors;
import dev.dala.ota.release.preflight.ZipAppSource;
import dev.dala.ota.release.zip.ArchiveReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds an App Store-clean IPA: stages a copy of the .app, prunes otp/, fixes Info.plist,
 * embeds the agent config and the profile, checks the profile and the staged bundle (every
 * problem at once), signs, packs, checks the IPA again, and only then moves it into place.
 */
public final class IpaBuilder {

  /** What was built, and what was changed on the way. */
  public record Result(Path ipa, boolean signed, OtpPruner.Pruned pruned, List<String> plistChanges,
      List<String> warnings, PreflightReport report) {}

  public Result build(IpaSpec spec) {
    try (WorkDir work = WorkDir.create("dala-ipa-"); OutputFile output = OutputFile.create(spec.output())) {
      Path app = stage(spec, work.path());
      OtpPruner.Pruned pruned = new OtpPruner(spec.unusedApps()).prune(app.resolve("otp"));
      // Read once, before the fixes: they never touch CFBundleExecutable or CFBundleIdentifier.
      NSDictionary info = readPlist(app.resolve("Info.plist"));
      String executable = InfoPlistFixer.text(info, "CFBundleExecutable");
      List<String> changes = InfoPlistFixer.fix(app.resolve("Info.plist"), mainImage(app, executable), spec.plist());
      String bundleId = InfoPlistFixer.text(info, "CFBundleIdentifier");

      List<String> problems = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      ProvisioningProfile profile = profile(spec, bundleId, problems, warnings);
      write(app.resolve(AgentConfig.FILE_NAME), spec.config().encode());
      write(app.resolve("embedded.mobileprovision"), profile.encoded());
      IpaPreflight preflight = new IpaPreflight(spec.limits(), PrivateSelectors.standard());
      PreflightReport staged = preflight.check(new DirectoryAppSource(app), app.toString(), false);
      staged.findings().stream().filter(Finding::isError).forEach(f -> problems.add(f.toString()));
      staged.findings().stream().filter(f -> !f.isError()).forEach(f -> warnings.add(f.toString()));
      if (!problems.isEmpty()) {
        throw ReleaseException.problems("the app cannot become an App Store IPA", problems);
      }

      Path entitlements = work.path().resolve("entitlements.plist");
      write(entitlements, profile.entitlementsXml());
      spec.signer().sign(app, nestedCode(app), entitlements);
      PreflightReport report = pack(spec, preflight, app, output.temp());
      output.commit();
      return new Result(spec.output(), spec.signer().signs(), pruned, changes, warnings, report);
    } catch (UncheckedIOException e) {
      throw ReleaseException.badInput("cannot build the IPA: " + e.getCause().getMessage());
    }
  }

  /** Packs the signed bundle and checks the IPA itself, as it will be uploaded. */
  private static PreflightReport pack(IpaSpec spec, IpaPreflight preflight, Path app, Path ipa) {
    try {
      IpaPackager.write(app, ipa);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write the IPA: " + e.getMessage());
    }
    PreflightReport report;
    try (ArchiveReader zip = ArchiveReader.open(ipa, spec.limits().zip())) {
      report = preflight.check(ZipAppSource.of(zip), spec.output().toString(), spec.signer().signs());
    }
    if (!report.passed()) {
      throw ReleaseException.problems("the packed IPA fails preflight", report.findings().stream()
          .filter(Finding::isError).map(Finding::toString).toList());
    }
    return report;
  }

  /** A private copy of the bundle, without the signature its changes are about to invalidate. */
  private static Path stage(IpaSpec spec, Path work) {
    Path app;
    try {
      if (spec.app() != null) {
        if (!Files.isDirectory(spec.app()) || !Files.isRegularFile(spec.app().resolve("Info.plist"))
            || !spec.app().toAbsolutePath().normalize().getFileName().toString().endsWith(".app")) {
          throw ReleaseException.badInput(spec.app() + ": not an app bundle (a NAME.app folder with an Info.plist)");
        }
        app = work.resolve(spec.app().toAbsolutePath().normalize().getFileName().toString());
        Trees.copy(spec.app(), app);
      } else {
        String name = spec.bundleName() != null ? spec.bundleName()
            : spec.executable().getFileName() + ".app";
        if (!name.endsWith(".app")) {
          throw ReleaseException.usage("--bundle-name must end in .app");
        }
        app = work.resolve(name);
        Files.createDirectories(app);
        if (spec.resources() != null) {
          Trees.copy(spec.resources(), app);
        }
        Path exe = app.resolve(spec.executable().getFileName().toString());
        Files.copy(spec.executable(), exe, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(spec.infoPlist(), app.resolve("Info.plist"), StandardCopyOption.REPLACE_EXISTING);
      }
      WorkDir.deleteTree(app.resolve("_CodeSignature"));
      Files.deleteIfExists(app.resolve("CodeResources"));
      Files.deleteIfExists(app.resolve("embedded.mobileprovision"));
      if (spec.otpRoot() != null) {
        if (!Files.isDirectory(spec.otpRoot())) {
          throw ReleaseException.badInput(spec.otpRoot() + " is not a folder");
        }
        WorkDir.deleteTree(app.resolve("otp"));
        Trees.copy(spec.otpRoot(), app.resolve("otp"));
      }
      for (Path ebin : spec.ebins()) {
        if (!Files.isDirectory(ebin)) {
          throw ReleaseException.badInput(ebin + " is not a folder");
        }
        Path target = app.resolve("otp/lib/" + OtpPruning.appOfEbin(ebin) + "/ebin");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(ebin)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".beam") || f.toString().endsWith(".app")).toList()) {
            Files.copy(f, target.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return app;
    } catch (java.nio.file.NoSuchFileException e) {
      throw ReleaseException.badInput(e.getFile() + ": no such file");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot stage the app: " + e.getMessage());
    }
  }

  private static ProvisioningProfile profile(IpaSpec spec, String bundleId, List<String> problems,
      List<String> warnings) {
    byte[] bytes;
    try {
      if (Files.size(spec.profile()) > ProvisioningProfile.MAX_BYTES) {
        throw ReleaseException.badInput(spec.profile() + ": too large to be a provisioning profile");
      }
      bytes = Files.readAllBytes(spec.profile());
    } catch (java.nio.file.NoSuchFileException e) {
      throw ReleaseException.badInput(spec.profile() + ": no such file");
    } catch (IOException e) {
      throw ReleaseException.badInput(spec.profile() + ": " + e.getMessage());
    }
    ProvisioningProfile profile;
    try {
      profile = ProvisioningProfile.parse(bytes);
    } catch (ProfileException e) {
      throw new ReleaseException(ExitCode.BAD_INPUT, spec.profile() + ": not a usable provisioning profile: "
          + e.getMessage());
    }
    if (bundleId == null) {
      problems.add("Info.plist has no CFBundleIdentifier to check the profile against");
      return profile;
    }
    ProfileCheck.Result check = ProfileCheck.check(profile, bundleId, spec.teamId(), spec.now(),
        spec.requestedEntitlements());
    check.problems().forEach(p -> problems.add("profile " + spec.profile() + ": " + p));
    warnings.addAll(check.warnings());
    return profile;
  }

  private static NSDictionary readPlist(Path file) {
    try {
      if (PropertyListParser.parse(Files.readAllBytes(file)) instanceof NSDictionary d) {
        return d;
      }
    } catch (Exception e) {
      throw ReleaseException.badInput(file.getFileName() + " is not a property list: " + e.getMessage());
    }
    throw ReleaseException.badInput(file.getFileName() + " is not a dictionary");
  }

  private static MachOImage mainImage(Path app, String executable) {
    if (executable == null || !Files.isRegularFile(app.resolve(executable))) {
      return null;
    }
    try {
      return MachOReader.arm64(MachOReader.read(Files.readAllBytes(app.resolve(executable))));
    } catch (MachOFormatException | IOException e) {
      return null;
    }
  }

  /** Frameworks, dylibs and extensions, which codesign signs before the app itself. */
  private static List<Path> nestedCode(Path app) {
    List<Path> nested = new ArrayList<>();
    for (String dir : List.of("Frameworks", "PlugIns")) {
      Path folder = app.resolve(dir);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> entries = Files.list(folder)) {
          entries.filter(p -> {
            String n = p.getFileName().toString();
            return n.endsWith(".framework") || n.endsWith(".dylib") || n.endsWith(".appex");
          }).sorted().forEach(nested::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return nested;
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
