package dev.dala.ota.signer.beam;

import dev.dala.ota.signer.etf.ErlTerm;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a .beam file the way the BEAM's loader and {@code beam_lib} do. It slices the input
 * rather than copying it, checks every length against the bytes that remain before using it,
 * and answers a malformed file with a {@link BeamFormatException} naming the problem.
 */
public final class BeamReader {

  /**
   * The chunks {@code beam_lib:md5/1} hashes, in its order. OTP 29 added {@code Recs} and
   * {@code DbgB}; older files lack them, so this union gives each release's own answer.
   */
  static final List<String> MD5_CHUNKS =
      List.of("Atom", "AtU8", "Code", "StrT", "ImpT", "ExpT", "FunT", "LitT", "Meta", "Recs", "DbgB");

  private static final List<String> MANDATORY = List.of("Code", "ExpT", "ImpT", "StrT");
  private static final EtfLimits METADATA_LIMITS = EtfLimits.DEFAULT.withMaxDepth(64);

  private final BeamLimits limits;

  public BeamReader() {
    this(BeamLimits.DEFAULT);
  }

  public BeamReader(BeamLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Reads {@code bytes}; {@code fileName} (such as {@code Elixir.Foo.beam}) must name its module, or be null. */
  public BeamFile read(byte[] bytes, String fileName) throws BeamFormatException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > limits.maxFileBytes()) {
      throw new BeamFormatException(BeamProblem.FILE_TOO_LARGE, bytes.length + " bytes exceeds " + limits.maxFileBytes());
    }
    boolean gzipped = GzipBeam.isGzip(bytes);
    byte[] file = gzipped ? GzipBeam.inflate(bytes, limits.maxInflatedBytes()) : bytes;
    Map<String, BeamChunk> chunks = new HashMap<>();
    List<BeamChunk> order = scanChunks(file, chunks);
    BeamChunk atomChunk = chunks.containsKey("AtU8") ? chunks.get("AtU8") : chunks.get("Atom");
    if (atomChunk == null) {
      throw new BeamFormatException(BeamProblem.MISSING_ATOM_TABLE, "no AtU8 or Atom chunk");
    }
    for (String id : MANDATORY) {
      if (!chunks.containsKey(id)) {
        throw new BeamFormatException(BeamProblem.MISSING_CHUNK, "no " + id + " chunk");
      }
    }
    AtomTable atoms = AtomTable.read(file, atomChunk);
    String module = atoms.get(1);
    if (fileName != null) {
      String expected = fileName.endsWith(".beam") ? fileName.substring(0, fileName.length() - 5) : fileName;
      if (!expected.equals(module)) {
        throw new BeamFormatException(BeamProblem.MODULE_NAME_MISMATCH,
            "file " + fileName + " holds module " + module);
      }
    }
    ChunkCursor code = new ChunkCursor(file, chunks.get("Code"), BeamProblem.BAD_CODE_HEADER);
    int headerSize = code.u32();
    if (headerSize < 16 || headerSize > chunks.get("Code").size() - 4) {
      throw new BeamFormatException(BeamProblem.BAD_CODE_HEADER, "code header size " + headerSize);
    }
    int instructionSet = code.u32();
    if (instructionSet != 0) {
      throw new BeamFormatException(BeamProblem.UNSUPPORTED_INSTRUCTION_SET, "instruction set " + instructionSet);
    }
    int opcodeMax = code.u32();
    int labels = code.u32();
    int functions = code.u32();
    List<FunctionRef> imports = functionTable(file, chunks.get("ImpT"), atoms, true);
    List<FunctionRef> exports = functionTable(file, chunks.get("ExpT"), atoms, false);
    boolean uncompressedLiterals = uncompressedLiterals(file, chunks.get("LitT"));
    int minOtp = minOtpRelease(opcodeMax, atoms.compact(), uncompressedLiterals, chunks);
    return new BeamFile(module, md5(file, chunks), order, atoms.size(), exports, imports, opcodeMax, labels,
        functions, minOtp, gzipped, atoms.compact(), uncompressedLiterals,
        metadata(file, chunks.get("Attr")), metadata(file, chunks.get("CInf")),
        ChunkSummaries.debugInfoBackend(file, chunks.get("Dbgi")), ChunkSummaries.docsFormat(file, chunks.get("Docs")),
        lineInstructions(file, chunks.get("Line")), file);
  }

  private List<BeamChunk> scanChunks(byte[] file, Map<String, BeamChunk> byId) throws BeamFormatException {
    if (file.length < 12 || !ascii(file, 0, "FOR1") || !ascii(file, 8, "BEAM")) {
      throw new BeamFormatException(BeamProblem.BAD_MAGIC, "not FOR1/BEAM");
    }
    long formSize = u32(file, 4);
    if (formSize != file.length - 8L) {
      throw new BeamFormatException(BeamProblem.FORM_SIZE_MISMATCH,
          "form says " + formSize + " bytes, file holds " + (file.length - 8));
    }
    List<BeamChunk> order = new ArrayList<>();
    int pos = 12;
    while (pos < file.length) {
      if (file.length - pos < 8) {
        throw new BeamFormatException(BeamProblem.TRUNCATED_CHUNK, "chunk header at " + pos + " is cut short");
      }
      String id = new String(file, pos, 4, StandardCharsets.ISO_8859_1);
      long size = u32(file, pos + 4);
      long padded = (size + 3) & ~3L;
      if (padded > file.length - pos - 8L) {
        throw new BeamFormatException(BeamProblem.TRUNCATED_CHUNK,
            "chunk " + id + " at " + pos + " claims " + size + " bytes, " + (file.length - pos - 8) + " remain");
      }
      BeamChunk chunk = new BeamChunk(id, pos + 8, (int) size);
      if (byId.putIfAbsent(id, chunk) != null) {
        throw new BeamFormatException(BeamProblem.DUPLICATE_CHUNK, "chunk " + id + " appears twice");
      }
      order.add(chunk);
      if (order.size() > limits.maxChunks()) {
        throw new BeamFormatException(BeamProblem.TOO_MANY_CHUNKS, "more than " + limits.maxChunks() + " chunks");
      }
      pos += 8 + (int) padded;
    }
    return order;
  }

  private static List<FunctionRef> functionTable(byte[] file, BeamChunk chunk, AtomTable atoms, boolean imports)
      throws BeamFormatException {
    ChunkCursor c = new ChunkCursor(file, chunk, BeamProblem.BAD_TABLE);
    long count = c.u32() & 0xFFFF_FFFFL;
    if (count * 12 != chunk.size() - 4L) {
      throw new BeamFormatException(BeamProblem.BAD_TABLE, chunk.id() + " holds " + count + " entries in "
          + chunk.size() + " bytes");
    }
    List<FunctionRef> refs = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      if (imports) {
        String module = atoms.get(c.u32());
        String function = atoms.get(c.u32());
        refs.add(new FunctionRef(module, function, c.u32()));
      } else {
        String function = atoms.get(c.u32());
        int arity = c.u32();
        c.u32(); // label
        refs.add(new FunctionRef(null, function, arity));
      }
    }
    return refs;
  }

  private static long lineInstructions(byte[] file, BeamChunk chunk) throws BeamFormatException {
    ChunkSummaries.LineTable table = ChunkSummaries.lineTable(file, chunk);
    return table == null ? -1 : table.instructions();
  }

  private static boolean uncompressedLiterals(byte[] file, BeamChunk chunk) throws BeamFormatException {
    if (chunk == null) {
      return false;
    }
    if (chunk.size() < 4) {
      throw new BeamFormatException(BeamProblem.BAD_TABLE, "LitT shorter than its header");
    }
    // OTP 28 writes a zero where older compilers wrote the inflated size.
    return u32(file, chunk.offset()) == 0;
  }

  static int minOtpRelease(int opcodeMax, boolean compactAtoms, boolean uncompressedLiterals,
      Map<String, BeamChunk> chunks) {
    int release = OtpRelease.lowestLoading(opcodeMax);
    if (release < 0) {
      return -1;
    }
    if (compactAtoms) {
      release = Math.max(release, OtpRelease.COMPACT_ATOMS);
    }
    if (uncompressedLiterals) {
      release = Math.max(release, OtpRelease.UNCOMPRESSED_LITERALS);
    }
    if (chunks.containsKey("DbgB")) {
      release = Math.max(release, OtpRelease.DEBUG_INFO_CHUNK);
    }
    if (chunks.containsKey("Recs")) {
      release = Math.max(release, OtpRelease.NATIVE_RECORDS);
    }
    return release;
  }

  private static byte[] md5(byte[] file, Map<String, BeamChunk> chunks) {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
    for (String id : MD5_CHUNKS) {
      BeamChunk chunk = chunks.get(id);
      if (chunk == null) {
        continue;
      }
      if (id.equals("FunT") && chunk.size() >= 4) {
        hashFunTable(md5, file, chunk);
      } else {
        md5.update(file, chunk.offset(), chunk.size());
      }
    }
    return md5.digest();
  }

  /** beam_lib ignores each fun entry's old unique value: bytes 20..23 of every 24 are hashed as zero. */
  private static void hashFunTable(MessageDigest md5, byte[] file, BeamChunk chunk) {
    md5.update(file, chunk.offset(), 4);
    int pos = chunk.offset() + 4;
    int end = chunk.offset() + chunk.size();
    byte[] zero = new byte[4];
    while (end - pos >= 24) {
      md5.update(file, pos, 20);
      md5.update(zero);
      pos += 24;
    }
    md5.update(file, pos, end - pos);
  }

  private static ErlTerm metadata(byte[] file, BeamChunk chunk) throws BeamFormatException {
    if (chunk == null) {
      return null;
    }
    try {
      return EtfDecoder.decodeAt(file, chunk.offset(), chunk.offset() + chunk.size(), METADATA_LIMITS).term();
    } catch (EtfException e) {
      throw new BeamFormatException(BeamProblem.BAD_METADATA, chunk.id() + ": " + e.getMessage());
    }
  }

  static boolean ascii(byte[] b, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
  }
}
