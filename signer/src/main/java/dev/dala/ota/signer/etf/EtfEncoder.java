package dev.dala.ota.signer.etf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The deterministic encoder. For every term it writes the bytes that
 * {@code term_to_binary(Term, [deterministic])} writes on OTP 26 and later, which are also what
 * {@code term_to_binary(Term, [deterministic, {minor_version, 2}])} writes on OTP 25: UTF-8
 * atoms, NEW_FLOAT_EXT, STRING_EXT for short lists of bytes, the smallest integer form, map
 * keys in map-key order, and V4_PORT_EXT for ports.
 */
public final class EtfEncoder {

  private byte[] buffer;
  private int length;

  private EtfEncoder(int capacity) {
    buffer = new byte[capacity];
  }

  /** The External Term Format bytes of {@code term}, starting with the version byte. */
  public static byte[] encode(ErlTerm term) {
    EtfEncoder encoder = new EtfEncoder(64);
    encoder.put(Tag.VERSION);
    encoder.write(term);
    return Arrays.copyOf(encoder.buffer, encoder.length);
  }

  /** The bytes of {@code term} without the leading version byte, as nested terms appear. */
  public static byte[] encodeBody(ErlTerm term) {
    EtfEncoder encoder = new EtfEncoder(64);
    encoder.write(term);
    return Arrays.copyOf(encoder.buffer, encoder.length);
  }

  private void write(ErlTerm term) {
    switch (term) {
      case ErlAtom a -> writeAtom(a);
      case ErlInteger i -> writeInteger(i);
      case ErlFloat f -> {
        put(Tag.NEW_FLOAT);
        putLong(Double.doubleToRawLongBits(f.value()));
      }
      case ErlBinary b -> {
        put(Tag.BINARY);
        putInt(b.size());
        putBytes(b.bytes());
      }
      case ErlBitstring b -> {
        put(Tag.BIT_BINARY);
        putInt(b.bytes().length);
        put(b.bitsInLastByte());
        putBytes(b.bytes());
      }
      case ErlList l -> writeList(l);
      case ErlTuple t -> writeTuple(t);
      case ErlMap m -> writeMap(m);
      case ErlPid p -> {
        put(Tag.NEW_PID);
        writeAtom(p.node());
        putInt((int) p.id());
        putInt((int) p.serial());
        putInt((int) p.creation());
      }
      case ErlRef r -> {
        put(Tag.NEWER_REFERENCE);
        putShort(r.idCount());
        writeAtom(r.node());
        putInt((int) r.creation());
        for (int i = 0; i < r.idCount(); i++) {
          putInt(r.idAt(i));
        }
      }
      case ErlPort p -> {
        put(Tag.V4_PORT);
        writeAtom(p.node());
        putLong(p.id());
        putInt((int) p.creation());
      }
      case ErlExportFun f -> {
        put(Tag.EXPORT);
        writeAtom(f.module());
        writeAtom(f.function());
        put(Tag.SMALL_INTEGER);
        put(f.arity());
      }
    }
  }

  private void writeAtom(ErlAtom atom) {
    byte[] utf8 = atom.name().getBytes(StandardCharsets.UTF_8);
    if (utf8.length < 256) {
      put(Tag.SMALL_ATOM_UTF8);
      put(utf8.length);
    } else {
      put(Tag.ATOM_UTF8);
      putShort(utf8.length);
    }
    putBytes(utf8);
  }

  private void writeInteger(ErlInteger integer) {
    if (integer.fitsInLong()) {
      long v = integer.smallValue();
      if (v >= 0 && v <= 255) {
        put(Tag.SMALL_INTEGER);
        put((int) v);
        return;
      }
      if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        put(Tag.INTEGER);
        putInt((int) v);
        return;
      }
    }
    writeBignum(integer.toBigInteger());
  }

  private void writeBignum(BigInteger value) {
    byte[] bigEndian = value.abs().toByteArray();
    int start = bigEndian[0] == 0 ? 1 : 0;
    int n = bigEndian.length - start;
    if (n < 256) {
      put(Tag.SMALL_BIG);
      put(n);
    } else {
      put(Tag.LARGE_BIG);
      putInt(n);
    }
    put(value.signum() < 0 ? 1 : 0);
    ensure(n);
    for (int i = bigEndian.length - 1; i >= start; i--) {
      buffer[length++] = bigEndian[i];
    }
  }

  private void writeList(ErlList list) {
    List<ErlTerm> elements = list.elements();
    if (elements.isEmpty()) {
      put(Tag.NIL);
      return;
    }
    if (list.isProper() && elements.size() <= 0xFFFF && allBytes(elements)) {
      put(Tag.STRING);
      putShort(elements.size());
      ensure(elements.size());
      for (ErlTerm e : elements) {
        buffer[length++] = (byte) ((ErlInteger) e).smallValue();
      }
      return;
    }
    put(Tag.LIST);
    putInt(elements.size());
    for (ErlTerm e : elements) {
      write(e);
    }
    if (list.isProper()) {
      put(Tag.NIL);
    } else {
      write(list.tail());
    }
  }

  private static boolean allBytes(List<ErlTerm> elements) {
    for (ErlTerm e : elements) {
      if (!(e instanceof ErlInteger i) || !i.fitsInLong() || i.smallValue() < 0 || i.smallValue() > 255) {
        return false;
      }
    }
    return true;
  }

  private void writeTuple(ErlTuple tuple) {
    if (tuple.arity() < 256) {
      put(Tag.SMALL_TUPLE);
      put(tuple.arity());
    } else {
      put(Tag.LARGE_TUPLE);
      putInt(tuple.arity());
    }
    for (ErlTerm e : tuple.elements()) {
      write(e);
    }
  }

  private void writeMap(ErlMap map) {
    put(Tag.MAP);
    putInt(map.size());
    for (Map.Entry<ErlTerm, ErlTerm> e : TermOrder.sortedEntries(map)) {
      write(e.getKey());
      write(e.getValue());
    }
  }

  private void ensure(int extra) {
    if (length + extra > buffer.length) {
      int wanted = Math.max(buffer.length * 2, length + extra);
      if (wanted < 0) {
        throw new IllegalStateException("term too large to encode");
      }
      buffer = Arrays.copyOf(buffer, wanted);
    }
  }

  private void put(int b) {
    ensure(1);
    buffer[length++] = (byte) b;
  }

  private void putShort(int v) {
    ensure(2);
    buffer[length++] = (byte) (v >>> 8);
    buffer[length++] = (byte) v;
  }

  private void putInt(int v) {
    ensure(4);
    buffer[length++] = (byte) (v >>> 24);
    buffer[length++] = (byte) (v >>> 16);
    buffer[length++] = (byte) (v >>> 8);
    buffer[length++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void putBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }
}
