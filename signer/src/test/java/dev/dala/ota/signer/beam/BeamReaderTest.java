package dev.dala.ota.signer.beam;

import dev.dala.ota.testing.otp.CompiledBeams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed .beam files, each made from a real one, each refused with its own problem code. */
class BeamReaderTest {

  private static CompiledBeams beams;
  private static byte[] plain;
  private static BeamFile plainBeam;

  @BeforeAll
  static void compile() throws Exception {
    beams = CompiledBeams.compile(OtpRuntime.host());
    plain = Files.readAllBytes(beams.files().get("plain_module.beam"));
    plainBeam = new BeamReader().read(plain, "plain_module.beam");
  }

  @AfterAll
  static void clean() {
    beams.close();
  }

  private static BeamProblem problemOf(byte[] bytes, String fileName) {
    return problemOf(new BeamReader(), bytes, fileName);
  }

  private static BeamProblem problemOf(BeamReader reader, byte[] bytes, String fileName) {
    try {
      reader.read(bytes, fileName);
    } catch (BeamFormatException e) {
      return e.problem();
    }
    throw new AssertionError("read without error");
  }

  private static int chunkHeader(String id) {
    return plainBeam.chunk(id).offset() - 8;
  }

  @Test
  void rejectsABadMagicNumber() {
    byte[] bytes = plain.clone();
    bytes[8] = 'X';
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_MAGIC);
    assertThat(problemOf("not a beam at all".getBytes(StandardCharsets.US_ASCII), null)).isEqualTo(BeamProblem.BAD_MAGIC);
    assertThat(problemOf(new byte[0], null)).isEqualTo(BeamProblem.BAD_MAGIC);
  }

  @Test
  void rejectsAFileCutShort() {
    byte[] bytes = Arrays.copyOf(plain, plain.length - 10);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.FORM_SIZE_MISMATCH);
  }

  @Test
  void rejectsAChunkThatClaimsMoreBytesThanTheFormHolds() {
    byte[] bytes = plain.clone();
    ByteBuffer.wrap(bytes).putInt(chunkHeader("Code") + 4, 0x7FFF_FFF0);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.TRUNCATED_CHUNK);
    ByteBuffer.wrap(bytes).putInt(chunkHeader("Code") + 4, -1);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.TRUNCATED_CHUNK);
  }

  @Test
  void rejectsAChunkHeaderCutShort() {
    // A form whose last "chunk" is only four bytes long.
    byte[] bytes = Arrays.copyOf(plain, plain.length + 4);
    ByteBuffer.wrap(bytes).putInt(4, bytes.length - 8);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.TRUNCATED_CHUNK);
  }

  @Test
  void rejectsAFileWithoutAnAtomTable() {
    byte[] bytes = plain.clone();
    System.arraycopy("XtU8".getBytes(StandardCharsets.US_ASCII), 0, bytes, chunkHeader("AtU8"), 4);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.MISSING_ATOM_TABLE);
  }

  @Test
  void rejectsAFileWithoutACodeChunk() {
    byte[] bytes = plain.clone();
    System.arraycopy("Xode".getBytes(StandardCharsets.US_ASCII), 0, bytes, chunkHeader("Code"), 4);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.MISSING_CHUNK);
  }

  @Test
  void rejectsTwoChunksWithTheSameId() {
    byte[] bytes = plain.clone();
    System.arraycopy("Code".getBytes(StandardCharsets.US_ASCII), 0, bytes, chunkHeader("LocT"), 4);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.DUPLICATE_CHUNK);
  }

  @Test
  void rejectsAnAtomCountTheChunkCannotHold() {
    byte[] bytes = plain.clone();
    ByteBuffer.wrap(bytes).putInt(plainBeam.chunk("AtU8").offset(), 1_000_000);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_ATOM_TABLE);
  }

  @Test
  void rejectsAnImportNamingAnAtomOutsideTheTable() {
    byte[] bytes = plain.clone();
    ByteBuffer.wrap(bytes).putInt(plainBeam.chunk("ImpT").offset() + 4, 9999);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_ATOM_INDEX);
  }

  @Test
  void rejectsAnUnknownInstructionSet() {
    byte[] bytes = plain.clone();
    ByteBuffer.wrap(bytes).putInt(plainBeam.chunk("Code").offset() + 4, 1);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.UNSUPPORTED_INSTRUCTION_SET);
  }

  @Test
  void rejectsAModuleWhoseNameDoesNotMatchItsFile() {
    assertThat(problemOf(plain, "other_module.beam")).isEqualTo(BeamProblem.MODULE_NAME_MISMATCH);
  }

  @Test
  void rejectsAFileOverTheSizeLimit() {
    BeamReader small = new BeamReader(new BeamLimits(plain.length - 1, 1 << 20, 64));
    assertThat(problemOf(small, plain, null)).isEqualTo(BeamProblem.FILE_TOO_LARGE);
  }

  @Test
  void rejectsTooManyChunks() {
    BeamReader few = new BeamReader(new BeamLimits(1 << 20, 1 << 20, 3));
    assertThat(problemOf(few, plain, null)).isEqualTo(BeamProblem.TOO_MANY_CHUNKS);
  }

  @Test
  void refusesAGzipBombInsteadOfInflatingIt() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 80; i++) {
        gzip.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(200_000);
    assertThat(problemOf(compressed.toByteArray(), null)).isEqualTo(BeamProblem.BAD_COMPRESSION);
    assertThat(problemOf(new byte[] {0x1F, (byte) 0x8B, 8, 0, 1, 2}, null)).isEqualTo(BeamProblem.BAD_COMPRESSION);
  }

  @Test
  void neverThrowsAnUncheckedExceptionOnEveryTruncation() {
    for (int n = 0; n < plain.length; n++) {
      byte[] cut = Arrays.copyOf(plain, n);
      assertThatThrownBy(() -> new BeamReader().read(cut, null)).isInstanceOf(BeamFormatException.class);
    }
  }

  @Test
  void rejectsDebugInfoThatIsNotADebugInfoTuple() {
    byte[] bytes = plain.clone();
    // Dbgi starts <<131, 80, Size:32, Zlib...>>; a corrupt zlib header is caught.
    bytes[plainBeam.chunk("Dbgi").offset() + 6] = 0;
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_METADATA);
    bytes = plain.clone();
    bytes[plainBeam.chunk("Dbgi").offset()] = 1;
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_METADATA);
  }

  @Test
  void rejectsALineTableWhoseCountsExceedTheChunk() {
    byte[] bytes = plain.clone();
    ByteBuffer.wrap(bytes).putInt(plainBeam.chunk("Line").offset() + 12, 1_000_000);
    assertThat(problemOf(bytes, null)).isEqualTo(BeamProblem.BAD_TABLE);
  }

  @Test
  void reportsTheOpcodeCeilingAndChunks() {
    assertThat(plainBeam.opcodeMax()).isBetween(1, OtpRelease.maxOpcode(25));
    assertThat(plainBeam.chunks()).extracting(BeamChunk::id).contains("AtU8", "Code", "ImpT", "ExpT", "StrT");
    assertThat(plainBeam.attributes()).isNotNull();
    assertThat(plainBeam.compileInfo()).isNotNull();
  }
}
