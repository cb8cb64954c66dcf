package dev.dala.ota.signer.bundle;

import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.SignedDocument;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A release in one self-describing file: the signed manifest envelope, then every module's
 * bytes. The framing is plain length-prefixed binary, so the agent reads it with binary
 * pattern matching and verifies the envelope before it decodes anything:
 *
 * <pre>
 * "DOTABNDL"  u16 format (1)  u32 envelope length  envelope
 * u32 module count, then per module: u16 name length  name (UTF-8)  u32 size  bytes
 * </pre>
 *
 * All integers are big-endian. A draft, as {@code bundle build} writes it, has an unsigned
 * envelope.
 */
public record BundleFile(byte[] envelope, List<BundleModule> modules) {

  public static final byte[] MAGIC = "DOTABNDL".getBytes(StandardCharsets.US_ASCII);
  public static final int FORMAT = 1;

  public BundleFile {
    Objects.requireNonNull(envelope, "envelope");
    modules = List.copyOf(modules);
  }

  public static BundleFile of(SignedDocument envelope, List<BundleModule> modules) {
    return new BundleFile(envelope.encode(), modules);
  }

  public SignedDocument envelopeDocument() throws DocumentFormatException {
    return SignedDocument.decode(envelope);
  }

  public BundleModule module(String name) {
    return modules.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    u16(out, FORMAT);
    u32(out, envelope.length);
    out.writeBytes(envelope);
    u32(out, modules.size());
    for (BundleModule m : modules) {
      byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
      u16(out, name.length);
      out.writeBytes(name);
      u32(out, m.bytes().length);
      out.writeBytes(m.bytes());
    }
    return out.toByteArray();
  }

  /** Reads a bundle, enforcing {@code limits} before each allocation; trailing bytes are an error. */
  public static BundleFile read(InputStream stream, BundleLimits limits) throws BundleFormatException, IOException {
    DataInputStream in = new DataInputStream(stream);
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new BundleFormatException("not a bundle file (bad magic)");
      }
      int format = in.readUnsignedShort();
      if (format != FORMAT) {
        throw new BundleFormatException("unsupported bundle format " + format);
      }
      long total = MAGIC.length + 2;
      long envelopeLength = in.readInt() & 0xFFFF_FFFFL;
      if (envelopeLength > limits.maxEnvelopeBytes()) {
        throw new BundleFormatException("envelope of " + envelopeLength + " bytes exceeds " + limits.maxEnvelopeBytes());
      }
      byte[] envelope = new byte[(int) envelopeLength];
      in.readFully(envelope);
      total += 4 + envelopeLength;
      long count = in.readInt() & 0xFFFF_FFFFL;
      if (count > limits.maxModules()) {
        throw new BundleFormatException(count + " modules exceed the limit of " + limits.maxModules());
      }
      List<BundleModule> modules = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (long i = 0; i < count; i++) {
        String name = name(in, in.readUnsignedShort());
        if (!names.add(name)) {
          throw new BundleFormatException("module " + name + " appears twice");
        }
        long size = in.readInt() & 0xFFFF_FFFFL;
        if (size > limits.maxModuleBytes()) {
          throw new BundleFormatException("module " + name + " of " + size + " bytes exceeds " + limits.maxModuleBytes());
        }
        total += 2 + name.getBytes(StandardCharsets.UTF_8).length + 4 + size;
        if (total > limits.maxTotalBytes()) {
          throw new BundleFormatException("bundle exceeds " + limits.maxTotalBytes() + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        in.readFully(bytes);
        modules.add(new BundleModule(name, bytes));
      }
      if (in.read() != -1) {
        throw new BundleFormatException("bytes follow the last module");
      }
      return new BundleFile(envelope, modules);
    } catch (EOFException e) {
      throw new BundleFormatException("bundle file is truncated");
    }
  }

  public static BundleFile read(byte[] bytes, BundleLimits limits) throws BundleFormatException {
    try {
      return read(new java.io.ByteArrayInputStream(bytes), limits);
    } catch (IOException e) {
      throw new IllegalStateException("reading memory cannot fail", e);
    }
  }

  private static String name(DataInputStream in, int length) throws IOException, BundleFormatException {
    if (length == 0 || length > 255 * 4) {
      throw new BundleFormatException("module name of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BundleFormatException("module name is not UTF-8");
    }
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BundleFile b && Arrays.equals(b.envelope, envelope) && b.modules.equals(modules);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(envelope) * 31 + modules.hashCode();
  }

  @Override
  public String toString() {
    return "BundleFile[" + modules.size() + " modules]";
  }
}
