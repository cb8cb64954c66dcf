package dev.dala.ota.server.release;

import dev.dala.ota.server.base.BaseReleaseEntity;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.signer.beam.BeamFile;
import dev.dala.ota.signer.beam.BeamFormatException;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleFormatException;
import dev.dala.ota.signer.bundle.BundleLimits;
import dev.dala.ota.signer.bundle.BundleModule;
import dev.dala.ota.signer.bundle.ModulePolicy;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads an uploaded draft bundle and decides, without storing anything, whether it may be
 * published and on which bases: every module must be a loadable .beam whose name matches, none
 * may belong to OTP, Elixir or the agent, and a base qualifies only if its OTP release loads
 * every module and it links every NIF the modules load. All problems are reported together.
 */
public final class BundleInspection {

  /** A bundle that may be published. */
  public record Accepted(Manifest draft, List<InspectedModule> modules, List<BaseReleaseEntity> bases,
      String contentHash) {}

  private BundleInspection() {}

  public static Accepted inspect(byte[] upload, String appName, List<BaseReleaseEntity> bases, int maxModules) {
    BundleFile bundle;
    Manifest draft;
    try {
      bundle = BundleFile.read(upload, new BundleLimits(BundleLimits.DEFAULT.maxEnvelopeBytes(), maxModules,
          BundleLimits.DEFAULT.maxModuleBytes(), upload.length));
      draft = ManifestCodec.decode(bundle.envelopeDocument().payload());
    } catch (BundleFormatException e) {
      throw new OtaException(ErrorCode.MALFORMED_BUNDLE, e.getMessage());
    } catch (Exception e) {
      throw new OtaException(ErrorCode.MALFORMED_BUNDLE, "the bundle's manifest cannot be read: " + e.getMessage());
    }
    if (!draft.app().equals(appName)) {
      throw new OtaException(ErrorCode.APP_MISMATCH, "the bundle is for app " + draft.app() + ", not " + appName);
    }
    if (bundle.modules().isEmpty()) {
      throw new OtaException(ErrorCode.MALFORMED_BUNDLE, "the bundle holds no modules");
    }
    List<OtaException.Detail> problems = new ArrayList<>();
    List<InspectedModule> modules = new ArrayList<>();
    BeamReader reader = new BeamReader();
    for (BundleModule module : bundle.modules()) {
      InspectedModule inspected = inspectModule(module, draft, reader, problems);
      if (inspected != null) {
        modules.add(inspected);
      }
    }
    for (ManifestModule listed : draft.modules()) {
      if (bundle.module(listed.name()) == null) {
        problems.add(new OtaException.Detail("module_missing", listed.name(), "listed in the manifest, absent from the bundle"));
      }
    }
    if (!problems.isEmpty()) {
      throw rejected(problems);
    }
    List<BaseReleaseEntity> compatible = compatibleBases(modules, bases);
    return new Accepted(draft, modules, compatible, contentHash(draft, modules));
  }

  private static InspectedModule inspectModule(BundleModule module, Manifest draft, BeamReader reader,
      List<OtaException.Detail> problems) {
    BeamFile beam;
    try {
      beam = reader.read(module.bytes(), module.name() + ".beam");
    } catch (BeamFormatException e) {
      problems.add(new OtaException.Detail("invalid_module", module.name(),
          e.problem().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage()));
      return null;
    }
    var reserved = ModulePolicy.standard().check(beam.module());
    if (reserved.isPresent()) {
      problems.add(new OtaException.Detail("reserved_module", module.name(), beam.module() + " " + reserved.get().reason()));
      return null;
    }
    byte[] sha = module.sha256();
    ManifestModule listed = draft.module(module.name());
    if (listed == null) {
      problems.add(new OtaException.Detail("module_unexpected", module.name(), "in the bundle but not in its manifest"));
      return null;
    }
    if (!MessageDigest.isEqual(listed.sha256(), sha) || listed.size() != module.bytes().length) {
      problems.add(new OtaException.Detail("module_hash_mismatch", module.name(), "does not match its manifest entry"));
      return null;
    }
    return new InspectedModule(module.name(), module.bytes(), sha, beam);
  }

  /** The bases on which every module loads; fails naming why when there are none. */
  static List<BaseReleaseEntity> compatibleBases(List<InspectedModule> modules, List<BaseReleaseEntity> bases) {
    if (bases.isEmpty()) {
      throw new OtaException(ErrorCode.NO_COMPATIBLE_BASE, "the app has no registered base; register one first");
    }
    List<BaseReleaseEntity> compatible = new ArrayList<>();
    List<OtaException.Detail> reasons = new ArrayList<>();
    for (BaseReleaseEntity base : bases) {
      List<String> staticNifs = List.of(base.staticNifs);
      boolean ok = true;
      for (InspectedModule m : modules) {
        int needs = m.beam().minOtpRelease();
        if (needs < 0 || needs > base.otpReleaseNumber()) {
          ok = false;
          reasons.add(new OtaException.Detail("otp_too_old", m.name(), "needs OTP " + (needs < 0 ? "newer than 29" : needs)
              + "; base " + base.fingerprint + " runs OTP " + base.otpRelease));
        }
        if (m.beam().needsNif() && !staticNifs.contains(m.name())) {
          ok = false;
          reasons.add(new OtaException.Detail("nif_not_in_base", m.name(), "loads a NIF that base " + base.fingerprint
              + " does not link statically"));
        }
      }
      if (ok) {
        compatible.add(base);
      }
    }
    if (compatible.isEmpty()) {
      throw new OtaException(ErrorCode.NO_COMPATIBLE_BASE, "no registered base can load every module", reasons);
    }
    return compatible;
  }

  /** What publishing twice must recognise: the app, label, settings and every module's hash. */
  static String contentHash(Manifest draft, List<InspectedModule> modules) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((draft.app() + "\n" + draft.label() + "\n" + draft.applyMode().atom() + "\n"
          + draft.minAgentVersion() + "\n").getBytes(StandardCharsets.UTF_8));
      modules.stream().sorted((a, b) -> a.name().compareTo(b.name()))
          .forEach(m -> digest.update((m.name() + " " + m.sha256Hex() + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OtaException rejected(List<OtaException.Detail> problems) {
    long kinds = problems.stream().map(OtaException.Detail::code).distinct().count();
    ErrorCode code = ErrorCode.BUNDLE_REJECTED;
    if (kinds == 1) {
      code = switch (problems.get(0).code()) {
        case "invalid_module" -> ErrorCode.INVALID_MODULE;
        case "reserved_module" -> ErrorCode.RESERVED_MODULE;
        default -> ErrorCode.BUNDLE_REJECTED;
      };
    }
    return new OtaException(code, problems.size() == 1 ? problems.get(0).subject() + ": " + problems.get(0).detail()
        : problems.size() + " modules cannot be published", problems);
  }
}
