package dev.dala.ota.release.macho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.release.support.MachO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachOReaderTest {

  @TempDir
  Path dir;

  @Test
  void readsAClangBuiltIosExecutable() throws Exception {
    Path exe = MachO.executable(dir, dir.resolve("App"), true);
    MachOImage image = MachOReader.arm64(MachOReader.read(Files.readAllBytes(exe)));
    assertThat(image).isNotNull();
    assertThat(image.fileType()).isEqualTo(MachOImage.FILE_EXECUTE);
    assertThat(image.platform()).isEqualTo(MachOImage.PLATFORM_IOS);
    assertThat(image.minOs()).isEqualTo("15.0");
    assertThat(image.hasEntryPoint()).isTrue();
    assertThat(image.sections()).extracting(MachOImage.Section::name).contains("__text");
  }

  @Test
  void tellsLibrariesFromExecutables() throws Exception {
    Path lib = MachO.dylib(dir, dir.resolve("crypto.so"));
    MachOImage image = MachOReader.read(Files.readAllBytes(lib)).get(0);
    assertThat(image.fileType()).isEqualTo(6);
    assertThat(BinaryKind.of(Files.readAllBytes(MachO.archive(dir, dir.resolve("lib.a"))))).isEqualTo(
        BinaryKind.AR_ARCHIVE);
  }

  @Test
  void refusesATruncatedFile() throws Exception {
    byte[] bytes = Files.readAllBytes(MachO.executable(dir, dir.resolve("App"), false));
    assertThatThrownBy(() -> MachOReader.read(Arrays.copyOf(bytes, 40)))
        .isInstanceOf(MachOFormatException.class).hasMessageContaining("past the end");
  }

  @Test
  void tellsAJavaClassFromAUniversalBinary() {
    byte[] javaClass = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 65};
    byte[] universal = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 2};
    assertThat(BinaryKind.of(javaClass)).isEqualTo(BinaryKind.OTHER);
    assertThat(BinaryKind.of(universal)).isEqualTo(BinaryKind.MACH_O_UNIVERSAL);
  }
}
