package dev.dala.ota.signer.beam;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Removes debug info, docs, compile info and tool chunks from a .beam, like
 * {@code beam_lib:strip/1}, so that bundles carry only what the loader uses and the same code
 * gives the same bytes wherever it was built ({@code CInf} records the absolute source path).
 * Unlike beam_lib it keeps {@code Attr}, so {@code module_info(attributes)} (behaviours,
 * {@code vsn}) still answers, and it writes the file uncompressed; neither changes the MD5.
 */
public final class BeamStripper {

  private static final List<String> KEEP = List.of("Line", "Type", "Attr");

  private BeamStripper() {}

  /** Whether stripping keeps a chunk with this id. */
  public static boolean keeps(String id) {
    return KEEP.contains(id) || BeamReader.MD5_CHUNKS.contains(id);
  }

  /** The file with only kept chunks, in their original order. */
  public static byte[] strip(BeamFile beam) {
    byte[] file = beam.bytes();
    ByteArrayOutputStream chunks = new ByteArrayOutputStream(file.length);
    for (BeamChunk chunk : beam.chunks()) {
      if (!keeps(chunk.id())) {
        continue;
      }
      int padded = (chunk.size() + 3) & ~3;
      // Header, data and padding are copied as they were; padding is zero in what compilers write.
      chunks.write(file, chunk.offset() - 8, 8 + chunk.size());
      chunks.write(new byte[padded - chunk.size()], 0, padded - chunk.size());
    }
    byte[] body = chunks.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 12);
    out.writeBytes(new byte[] {'F', 'O', 'R', '1'});
    int form = body.length + 4;
    out.write(form >>> 24);
    out.write(form >>> 16);
    out.write(form >>> 8);
    out.write(form);
    out.writeBytes(new byte[] {'B', 'E', 'A', 'M'});
    out.writeBytes(body);
    return out.toByteArray();
  }
}
