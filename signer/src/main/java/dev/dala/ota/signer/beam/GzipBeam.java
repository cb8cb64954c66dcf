package dev.dala.ota.signer.beam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** The BEAM loads gzip-compressed .beam files (beam_lib:strip writes them); so do we, within a bound. */
final class GzipBeam {

  private GzipBeam() {}

  static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B;
  }

  static byte[] inflate(byte[] bytes, int maxInflated) throws BeamFormatException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxInflated, bytes.length * 4));
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > maxInflated) {
          throw new BeamFormatException(BeamProblem.BAD_COMPRESSION, "inflates beyond " + maxInflated + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new BeamFormatException(BeamProblem.BAD_COMPRESSION, "corrupt gzip stream");
    }
  }
}
