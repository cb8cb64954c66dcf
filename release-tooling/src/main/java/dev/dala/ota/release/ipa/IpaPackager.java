package dev.dala.ota.release.ipa;

import dev.dala.ota.release.preflight.AppEntry;
import dev.dala.ota.release.preflight.DirectoryAppSource;
import dev.dala.ota.release.zip.FixedTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Packs a signed .app as {@code Payload/NAME.app/…}, the way {@code ditto -c -k --keepParent}
 * does and {@code zip} does not: symbolic links stay links (the CodeResources link that App
 * Store error 90071 is about), permissions are kept as 755 or 644, and entries come in path
 * order with one fixed time, so the same bundle gives the same bytes.
 */
final class IpaPackager {

  private IpaPackager() {}

  static void write(Path app, Path ipa) throws IOException {
    long time = FixedTime.millis();
    String root = "Payload/" + app.getFileName() + "/";
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(ipa)) {
      out.setLevel(Deflater.BEST_COMPRESSION);
      directory(out, "Payload/", time);
      directory(out, root, time);
      for (AppEntry e : new DirectoryAppSource(app).entries()) {
        String name = root + e.path();
        switch (e.type()) {
          case DIRECTORY -> directory(out, name + "/", time);
          case SYMLINK -> {
            ZipArchiveEntry link = new ZipArchiveEntry(name);
            link.setUnixMode(0120755);
            link.setTime(time);
            link.setMethod(ZipArchiveEntry.STORED);
            byte[] target = e.linkTarget().getBytes(StandardCharsets.UTF_8);
            link.setSize(target.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(target);
            link.setCrc(crc.getValue());
            out.putArchiveEntry(link);
            out.write(target);
            out.closeArchiveEntry();
          }
          case FILE -> {
            ZipArchiveEntry file = new ZipArchiveEntry(name);
            file.setUnixMode(e.executable() ? 0100755 : 0100644);
            file.setTime(time);
            file.setMethod(ZipArchiveEntry.DEFLATED);
            out.putArchiveEntry(file);
            Files.copy(app.resolve(e.path()), out);
            out.closeArchiveEntry();
          }
          default -> throw new IllegalStateException(e.type().name());
        }
      }
      out.finish();
    }
  }

  private static void directory(ZipArchiveOutputStream out, String name, long time) throws IOException {
    ZipArchiveEntry dir = new ZipArchiveEntry(name);
    dir.setUnixMode(040755);
    dir.setTime(time);
    out.putArchiveEntry(dir);
    out.closeArchiveEntry();
  }
}
