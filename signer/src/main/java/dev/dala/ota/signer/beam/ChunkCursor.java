package dev.dala.ota.signer.beam;

/** Reads big-endian words inside one chunk, failing with {@code problem} at the chunk's end. */
final class ChunkCursor {

  private final byte[] file;
  private final BeamChunk chunk;
  private final BeamProblem problem;
  private int pos;

  ChunkCursor(byte[] file, BeamChunk chunk, BeamProblem problem) {
    this.file = file;
    this.chunk = chunk;
    this.problem = problem;
    this.pos = chunk.offset();
  }

  int remaining() {
    return chunk.offset() + chunk.size() - pos;
  }

  int position() {
    return pos;
  }

  int u8() throws BeamFormatException {
    need(1);
    return file[pos++] & 0xFF;
  }

  int u32() throws BeamFormatException {
    need(4);
    int v = (int) BeamReader.u32(file, pos);
    pos += 4;
    return v;
  }

  void skip(int n) throws BeamFormatException {
    need(n);
    pos += n;
  }

  void need(long n) throws BeamFormatException {
    if (n < 0 || n > remaining()) {
      throw new BeamFormatException(problem, chunk.id() + " ends at byte " + pos + " where " + n + " more are needed");
    }
  }
}
