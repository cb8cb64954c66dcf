package dev.dala.ota.signer.manifest;

import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TermFields;
import dev.dala.ota.signer.etf.TermFields.SchemaException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest as an Erlang term, the bytes a release key signs. Keys are atoms that every agent
 * knows, so {@code binary_to_term(Bin, [safe])} reads them; module names and other open-ended
 * text are binaries, never atoms, so a manifest can name modules a device has never loaded.
 * Readers ignore keys they do not know; a later format adds fields under binary keys, which
 * {@code [safe]} decoding accepts on older agents.
 */
public final class ManifestCodec {

  public static final int FORMAT = 1;
  private static final int MAX_NAME_BYTES = 255 * 4;
  private static final EtfLimits LIMITS = EtfLimits.DEFAULT.withMaxDepth(6)
      .withMaxTerms(Manifest.MAX_MODULES * 10 + Manifest.MAX_BASES * 8 + 64);

  private ManifestCodec() {}

  public static byte[] encode(Manifest manifest) {
    List<ErlTerm> bases = new ArrayList<>();
    for (CompatibleBase base : manifest.bases()) {
      bases.add(ErlMap.builder()
          .putUtf8("platform", base.platform())
          .putUtf8("otp_release", base.otpRelease())
          .putUtf8("fingerprint", base.fingerprint())
          .build());
    }
    List<ErlTerm> modules = new ArrayList<>();
    for (ManifestModule module : manifest.modules()) {
      modules.add(ErlMap.builder()
          .putUtf8("name", module.name())
          .put("sha256", module.sha256())
          .put("size", module.size())
          .put("beam_md5", module.beamMd5())
          .build());
    }
    return EtfEncoder.encode(ErlMap.builder()
        .put("format", FORMAT)
        .putUtf8("app", manifest.app())
        .put("sequence", manifest.sequence())
        .putUtf8("label", manifest.label())
        .put("bases", ErlList.of(bases))
        .put("modules", ErlList.of(modules))
        .put("apply_mode", ErlAtom.of(manifest.applyMode().atom()))
        .put("issued_at", manifest.issuedAt().getEpochSecond())
        .put("expires_at", manifest.expiresAt().getEpochSecond())
        .putUtf8("min_agent_version", manifest.minAgentVersion())
        .build());
  }

  /** Reads manifest bytes, which must be canonical; call only on bytes whose signature held. */
  public static Manifest decode(byte[] bytes) throws ManifestFormatException {
    try {
      TermFields f = TermFields.of(EtfDecoder.decodeCanonical(bytes, LIMITS), "manifest");
      if (f.integer("format") != FORMAT) {
        throw new ManifestFormatException("unsupported manifest format " + f.integer("format"));
      }
      ApplyMode mode = ApplyMode.fromAtom(f.atom("apply_mode"));
      if (mode == null) {
        throw new ManifestFormatException("unknown apply_mode " + f.atom("apply_mode"));
      }
      String minAgent = f.utf8("min_agent_version", 32);
      if (!AgentVersion.isValid(minAgent)) {
        throw new ManifestFormatException("min_agent_version is not MAJOR.MINOR.PATCH");
      }
      Instant issuedAt = Instant.ofEpochSecond(f.nonNegative("issued_at"));
      Instant expiresAt = Instant.ofEpochSecond(f.nonNegative("expires_at"));
      if (!expiresAt.isAfter(issuedAt)) {
        throw new ManifestFormatException("expires_at is not after issued_at");
      }
      List<ManifestModule> modules = modules(f);
      List<CompatibleBase> bases = new ArrayList<>();
      for (TermFields b : f.maps("bases", Manifest.MAX_BASES)) {
        bases.add(new CompatibleBase(b.utf8("platform", 32), b.utf8("otp_release", 16),
            b.utf8("fingerprint", Manifest.MAX_TEXT_BYTES)));
      }
      for (int i = 1; i < modules.size(); i++) {
        // Name order keeps one release to one byte form; a duplicate would hide a module.
        if (ManifestModule.BY_NAME.compare(modules.get(i - 1), modules.get(i)) >= 0) {
          throw new ManifestFormatException("modules are not in strictly ascending name order");
        }
      }
      return new Manifest(f.utf8("app", Manifest.MAX_TEXT_BYTES), f.nonNegative("sequence"),
          f.utf8("label", Manifest.MAX_TEXT_BYTES), bases, modules, mode, issuedAt, expiresAt, minAgent);
    } catch (EtfException | SchemaException e) {
      throw new ManifestFormatException(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ManifestFormatException("inconsistent manifest: " + e.getMessage());
    }
  }

  private static List<ManifestModule> modules(TermFields f) throws SchemaException {
    List<ManifestModule> modules = new ArrayList<>();
    for (TermFields m : f.maps("modules", Manifest.MAX_MODULES)) {
      modules.add(new ManifestModule(m.utf8("name", MAX_NAME_BYTES), m.binary("sha256", 32),
          m.nonNegative("size"), m.binary("beam_md5", 16)));
    }
    return modules;
  }

}
