package dev.dala.ota.cli.bundle;

import dev.dala.ota.signer.beam.BeamFile;
import dev.dala.ota.signer.manifest.CompatibleBase;
import dev.dala.ota.signer.manifest.Manifest;
import dev.dala.ota.signer.manifest.ManifestCodec;
import dev.dala.ota.signer.manifest.ManifestFormatException;
import dev.dala.ota.signer.manifest.ManifestModule;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.DocumentSignature;
import dev.dala.ota.signer.trust.RevocationList;
import dev.dala.ota.signer.trust.RoleCertificate;
import dev.dala.ota.signer.trust.RootDocument;
import dev.dala.ota.signer.trust.SignedDocument;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns keys, documents, manifests and .beam files into ordered maps for text or JSON output. */
public final class Describe {

  private Describe() {}

  public static Map<String, Object> document(SignedDocument document) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("type", document.kind().atom());
    List<String> signers = new ArrayList<>();
    for (DocumentSignature s : document.signatures()) {
      signers.add(s.keyId().hex());
    }
    d.put("signed_by", signers);
    d.put("chain", document.chain().stream().map(c -> c.kind().atom()).toList());
    try {
      switch (document.kind()) {
        case ROOT -> {
          RootDocument root = RootDocument.decode(document.payload());
          d.put("version", root.version());
          d.put("key_id", root.keyId().hex());
          d.put("issued_at", root.issuedAt().toString());
        }
        case ROLE_CERTIFICATE -> {
          RoleCertificate c = RoleCertificate.decode(document.payload());
          d.put("role", c.role().atom());
          d.put("key_id", c.keyId().hex());
          d.put("not_before", c.notBefore().toString());
          d.put("not_after", c.notAfter().toString());
          d.put("issuer", c.issuer().hex());
          d.put("root_version", c.rootVersion());
        }
        case REVOCATION_LIST -> {
          RevocationList r = RevocationList.decode(document.payload());
          d.put("version", r.version());
          d.put("issued_at", r.issuedAt().toString());
          d.put("revoked", r.revoked().stream().map(k -> k.hex()).toList());
        }
        case MANIFEST -> d.put("manifest", manifest(ManifestCodec.decode(document.payload())));
        case CHECKIN_RESPONSE -> d.put("payload_bytes", document.payload().length);
      }
    } catch (DocumentFormatException | ManifestFormatException e) {
      d.put("payload_error", e.getMessage());
    }
    return d;
  }

  public static Map<String, Object> manifest(Manifest m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("app", m.app());
    d.put("sequence", m.sequence());
    d.put("label", m.label());
    d.put("apply_mode", m.applyMode().atom());
    d.put("issued_at", m.issuedAt().toString());
    d.put("expires_at", m.expiresAt().toString());
    d.put("min_agent_version", m.minAgentVersion());
    d.put("bases", m.bases().stream().map(CompatibleBase::toString).toList());
    List<Map<String, Object>> modules = new ArrayList<>();
    for (ManifestModule module : m.modules()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", module.name());
      e.put("size", module.size());
      e.put("sha256", module.sha256Hex());
      e.put("beam_md5", module.beamMd5Hex());
      modules.add(e);
    }
    d.put("modules", modules);
    return d;
  }

  public static Map<String, Object> beam(String file, BeamFile beam) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("file", file);
    d.put("type", "beam");
    d.put("module", beam.module());
    d.put("md5", beam.md5Hex());
    d.put("min_otp_release", beam.minOtpRelease() < 0 ? null : beam.minOtpRelease());
    d.put("opcode_max", beam.opcodeMax());
    d.put("needs_nif", beam.needsNif());
    d.put("nif_loads", beam.nifLoads().stream().map(Object::toString).toList());
    d.put("exports", beam.exports().stream().map(Object::toString).toList());
    d.put("imports", beam.imports().size());
    d.put("atoms", beam.atomCount());
    d.put("gzipped", beam.gzipped());
    d.put("debug_info", beam.debugInfoBackend());
    d.put("docs", beam.docsFormat());
    d.put("line_instructions", beam.lineInstructions());
    d.put("debug_chunks", beam.hasDebugChunks());
    d.put("chunks", beam.chunks().stream().map(c -> c.id() + ":" + c.size()).toList());
    return d;
  }

  /** A plain {@code key: value} rendering of a description, lists one item per line. */
  public static void printText(PrintWriter out, Map<String, Object> d) {
    print(out, d, "");
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, Map<String, Object> d, String indent) {
    for (Map.Entry<String, Object> e : d.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        out.println(indent + e.getKey() + ":");
        print(out, (Map<String, Object>) m, indent + "  ");
      } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
        out.println(indent + e.getKey() + ": (" + l.size() + ")");
        for (Object item : l) {
          out.println(indent + "  - " + String.join(", ", ((Map<String, Object>) item).values().stream().map(String::valueOf).toList()));
        }
      } else if (v instanceof List<?> l && l.size() > 4) {
        out.println(indent + e.getKey() + ": (" + l.size() + ")");
        for (Object item : l) {
          out.println(indent + "  - " + item);
        }
      } else {
        out.println(indent + e.getKey() + ": " + v);
      }
    }
  }
}
