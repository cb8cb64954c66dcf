package dev.dala.ota.server.download;

/**
 * One byte range of an HTTP {@code Range} header ({@code bytes=A-B}, {@code bytes=A-},
 * {@code bytes=-N}), resolved against a length. Multiple ranges are answered with the whole.
 */
public record ByteRange(long start, long end) {

  /** Thrown for a syntactically valid range that lies outside the content. */
  public static final class Unsatisfiable extends Exception {
    public Unsatisfiable() {
      super(null, null, false, false);
    }
  }

  public long length() {
    return end - start + 1;
  }

  /** The range, or null to send everything (no header, several ranges, or one we do not read). */
  public static ByteRange parse(String header, long size) throws Unsatisfiable {
    if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          throw new Unsatisfiable();
        }
        return new ByteRange(Math.max(0, size - suffix), size - 1);
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (start >= size || end < start) {
        throw new Unsatisfiable();
      }
      return new ByteRange(start, end);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
