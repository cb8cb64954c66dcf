package dev.dala.ota.signer.beam;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A module's atom table. Atom 1 is the module's name. OTP 28 compilers write a negative count
 * and compact-encoded lengths; older ones one length byte per atom.
 */
final class AtomTable {

  private final List<String> atoms;
  private final boolean compact;

  private AtomTable(List<String> atoms, boolean compact) {
    this.atoms = atoms;
    this.compact = compact;
  }

  static AtomTable read(byte[] file, BeamChunk chunk) throws BeamFormatException {
    ChunkCursor c = new ChunkCursor(file, chunk, BeamProblem.BAD_ATOM_TABLE);
    int raw = c.u32();
    boolean compact = raw < 0;
    long count = compact ? -(long) raw : raw;
    boolean utf8 = chunk.id().equals("AtU8");
    // Every atom takes at least one byte, which bounds the count before any allocation.
    if (count < 1 || count > c.remaining()) {
      throw new BeamFormatException(BeamProblem.BAD_ATOM_TABLE, "atom count " + count + " in " + chunk.size() + " bytes");
    }
    List<String> atoms = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      int length = compact ? compactLength(c) : c.u8();
      c.need(length);
      atoms.add(text(file, c.position(), length, utf8));
      c.skip(length);
    }
    return new AtomTable(atoms, compact);
  }

  /** The compact term encoding of an unsigned value (tag u), as beam_asm writes atom lengths. */
  private static int compactLength(ChunkCursor c) throws BeamFormatException {
    int b = c.u8();
    if ((b & 0x07) != 0) {
      throw new BeamFormatException(BeamProblem.BAD_ATOM_TABLE, "atom length has tag " + (b & 0x07));
    }
    if ((b & 0x08) == 0) {
      return b >>> 4;
    }
    if ((b & 0x10) == 0) {
      return ((b & 0xE0) << 3) | c.u8();
    }
    int n = (b >>> 5) + 2;
    if (n > 4) {
      // An atom of 255 characters takes at most 1020 bytes; longer length forms are not atoms.
      throw new BeamFormatException(BeamProblem.BAD_ATOM_TABLE, "atom length uses " + n + " bytes");
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      value = (value << 8) | c.u8();
    }
    if (value > 255 * 4) {
      throw new BeamFormatException(BeamProblem.BAD_ATOM_TABLE, "atom of " + value + " bytes");
    }
    return (int) value;
  }

  private static String text(byte[] file, int at, int length, boolean utf8) throws BeamFormatException {
    if (!utf8) {
      return new String(file, at, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(file, at, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BeamFormatException(BeamProblem.BAD_ATOM_TABLE, "an atom is not UTF-8");
    }
  }

  String get(long index) throws BeamFormatException {
    if (index < 1 || index > atoms.size()) {
      throw new BeamFormatException(BeamProblem.BAD_ATOM_INDEX, "atom index " + index + " of " + atoms.size());
    }
    return atoms.get((int) index - 1);
  }

  int size() {
    return atoms.size();
  }

  boolean compact() {
    return compact;
  }
}
