package dev.dala.ota.signer.beam;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Short, bounded reads of the chunks that tools rather than the loader use: which backend wrote
 * the debug info, which docs format the docs use, and the line table's header. They read only
 * the first few bytes, so a megabyte of abstract code is never decoded.
 */
final class ChunkSummaries {

  /** The line table header: its version, line instructions, distinct lines and file names. */
  record LineTable(int version, long instructions, long lines, long fileNames) {}

  private ChunkSummaries() {}

  /** The backend atom of {@code {debug_info_v1, Backend, _}}, such as {@code erl_abstract_code}. */
  static String debugInfoBackend(byte[] file, BeamChunk chunk) throws BeamFormatException {
    if (chunk == null) {
      return null;
    }
    Prefix p = new Prefix(file, chunk);
    p.expectTuple(3);
    if (!"debug_info_v1".equals(p.atom())) {
      throw new BeamFormatException(BeamProblem.BAD_METADATA, "Dbgi is not {debug_info_v1, Backend, Data}");
    }
    return p.atom();
  }

  /** The format atom of EEP 48 docs, {@code docs_v1}. */
  static String docsFormat(byte[] file, BeamChunk chunk) throws BeamFormatException {
    if (chunk == null) {
      return null;
    }
    Prefix p = new Prefix(file, chunk);
    p.expectTuple(7);
    String format = p.atom();
    if (!format.startsWith("docs_v")) {
      throw new BeamFormatException(BeamProblem.BAD_METADATA, "Docs is not an EEP 48 docs tuple");
    }
    return format;
  }

  static LineTable lineTable(byte[] file, BeamChunk chunk) throws BeamFormatException {
    if (chunk == null) {
      return null;
    }
    ChunkCursor c = new ChunkCursor(file, chunk, BeamProblem.BAD_TABLE);
    int version = c.u32();
    c.u32(); // flags
    long instructions = c.u32() & 0xFFFF_FFFFL;
    long lines = c.u32() & 0xFFFF_FFFFL;
    long names = c.u32() & 0xFFFF_FFFFL;
    if (version != 0) {
      throw new BeamFormatException(BeamProblem.BAD_TABLE, "line table version " + version);
    }
    // Every line item and file name takes at least one byte: the counts must fit the chunk.
    if (lines + names > c.remaining()) {
      throw new BeamFormatException(BeamProblem.BAD_TABLE, "line table counts exceed the chunk");
    }
    return new LineTable(version, instructions, lines, names);
  }

  /**
   * Reads the start of a term: a tuple header and the atoms that follow it. Compilers write
   * these chunks as compressed terms, so for those only the first kilobyte is inflated.
   */
  private static final class Prefix {
    private static final int WINDOW = 1024;

    private final String id;
    private final byte[] bytes;
    private int pos;
    private final int end;

    Prefix(byte[] file, BeamChunk chunk) throws BeamFormatException {
      this.id = chunk.id();
      ChunkCursor c = new ChunkCursor(file, chunk, BeamProblem.BAD_METADATA);
      if (c.u8() != 131) {
        throw new BeamFormatException(BeamProblem.BAD_METADATA, id + " is not a term");
      }
      int tag = c.u8();
      if (tag == 80) {
        c.u32(); // the inflated size, which nothing here relies on
        Inflater inflater = new Inflater();
        try {
          inflater.setInput(file, c.position(), c.remaining());
          bytes = new byte[WINDOW];
          end = inflater.inflate(bytes);
        } catch (DataFormatException e) {
          throw new BeamFormatException(BeamProblem.BAD_METADATA, id + " is not a valid compressed term");
        } finally {
          inflater.end();
        }
        pos = 0;
      } else {
        bytes = file;
        pos = c.position() - 1;
        end = chunk.offset() + chunk.size();
      }
    }

    private int u8() throws BeamFormatException {
      if (pos >= end) {
        throw new BeamFormatException(BeamProblem.BAD_METADATA, id + " ends too soon");
      }
      return bytes[pos++] & 0xFF;
    }

    void expectTuple(int arity) throws BeamFormatException {
      if (u8() != 104 || u8() != arity) {
        throw new BeamFormatException(BeamProblem.BAD_METADATA, id + " is not a tuple of " + arity);
      }
    }

    String atom() throws BeamFormatException {
      int tag = u8();
      int length = switch (tag) {
        case 119, 115 -> u8();
        case 118, 100 -> (u8() << 8) | u8();
        default -> throw new BeamFormatException(BeamProblem.BAD_METADATA, id + ": expected an atom");
      };
      if (length > end - pos) {
        throw new BeamFormatException(BeamProblem.BAD_METADATA, id + " ends inside an atom");
      }
      String text = new String(bytes, pos, length, tag == 119 || tag == 118
          ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      pos += length;
      return text;
    }
  }
}
