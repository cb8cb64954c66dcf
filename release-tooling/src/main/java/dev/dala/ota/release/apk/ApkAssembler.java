package dev.dala.ota.release.apk;

import dev.dala.ota.release.apk.AssetTree.Asset;
import dev.dala.ota.release.zip.ArchiveReader;
import dev.dala.ota.release.zip.FixedTime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes the unsigned APK with the assets embedded and every entry aligned: the input's entries
 * first, in their order and byte for byte (compressed data is copied, not recompressed), then
 * the assets in name order. Assets are stored, not deflated: the bytes then do not depend on
 * the zlib build of the machine, and the platform can map them directly.
 */
final class ApkAssembler {

  private ApkAssembler() {}

  static void write(ArchiveReader input, List<Asset> assets, Path output) throws IOException {
    long time = FixedTime.millis();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(output)) {
      out.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.AsNeeded);
      for (ZipArchiveEntry in : input.entries()) {
        if (in.isDirectory() || ApkLayout.isJarSignatureFile(in.getName())) {
          continue;
        }
        ZipArchiveEntry copy = new ZipArchiveEntry(in.getName());
        copy.setMethod(in.getMethod());
        copy.setCrc(in.getCrc());
        copy.setSize(in.getSize());
        copy.setCompressedSize(in.getCompressedSize());
        normalise(copy, time);
        if (in.getMethod() == ZipArchiveEntry.STORED) {
          copy.setAlignment(ApkLayout.alignmentFor(in.getName()));
        }
        try (InputStream raw = input.raw(in)) {
          out.addRawArchiveEntry(copy, raw);
        }
      }
      for (Asset asset : assets) {
        byte[] bytes = asset.bytes() != null ? asset.bytes() : Files.readAllBytes(asset.source());
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipArchiveEntry entry = new ZipArchiveEntry(asset.name());
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        normalise(entry, time);
        entry.setAlignment(ApkLayout.alignmentFor(asset.name()));
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
      }
      out.finish();
    }
  }

  private static void normalise(ZipArchiveEntry entry, long time) {
    entry.setTime(time);
    entry.setUnixMode(0100644);
  }
}
