package dev.dala.ota.signer.beam;

import dev.dala.ota.signer.etf.ErlTerm;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A .beam file as the BEAM reads it: the module it defines, its {@code beam_lib:md5/1}, its
 * chunks, exports and imports, and the oldest OTP release that can load it.
 *
 * @param bytes the file's bytes, inflated if it was gzip-compressed; shared, not copied
 * @param minOtpRelease the oldest release that loads it, or -1 if it needs one newer than any known
 * @param attributes the decoded {@code Attr} chunk, or null when absent
 * @param compileInfo the decoded {@code CInf} chunk, or null when absent
 * @param debugInfoBackend who wrote the {@code Dbgi} chunk ({@code erl_abstract_code},
 *     {@code elixir_erl}), or null when there is none
 * @param docsFormat the EEP 48 format of the {@code Docs} chunk ({@code docs_v1}), or null
 * @param lineInstructions how many line instructions the {@code Line} chunk indexes, or -1 without one
 */
public record BeamFile(
    String module,
    byte[] md5,
    List<BeamChunk> chunks,
    int atomCount,
    List<FunctionRef> exports,
    List<FunctionRef> imports,
    int opcodeMax,
    int labelCount,
    int functionCount,
    int minOtpRelease,
    boolean gzipped,
    boolean compactAtoms,
    boolean uncompressedLiterals,
    ErlTerm attributes,
    ErlTerm compileInfo,
    String debugInfoBackend,
    String docsFormat,
    long lineInstructions,
    byte[] bytes) {

  /** The chunks {@code beam_lib:strip/1} would drop that carry only debug info or docs. */
  public static final List<String> DEBUG_CHUNKS = List.of("Dbgi", "Abst", "Docs", "ExCk", "ExDp");

  public BeamFile {
    Objects.requireNonNull(module, "module");
    chunks = List.copyOf(chunks);
    exports = List.copyOf(exports);
    imports = List.copyOf(imports);
  }

  public String md5Hex() {
    return HexFormat.of().formatHex(md5);
  }

  public boolean hasChunk(String id) {
    return chunk(id) != null;
  }

  public BeamChunk chunk(String id) {
    return chunks.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  /** The module's calls to {@code erlang:load_nif/2}: non-empty means it needs a NIF library. */
  public List<FunctionRef> nifLoads() {
    return imports.stream()
        .filter(i -> "erlang".equals(i.module()) && "load_nif".equals(i.function()) && i.arity() == 2)
        .toList();
  }

  public boolean needsNif() {
    return !nifLoads().isEmpty();
  }

  /** True when the file carries debug info or docs that stripping would remove. */
  public boolean hasDebugChunks() {
    return chunks.stream().anyMatch(c -> DEBUG_CHUNKS.contains(c.id()) || !BeamStripper.keeps(c.id()));
  }
}
