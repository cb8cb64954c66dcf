package dev.dala.ota.signer.etf;

/** Why a byte sequence is not acceptable External Term Format. Codes are stable. */
public enum EtfError {
  /** The input ends inside a term. */
  TRUNCATED,
  /** The first byte is not the version byte 131. */
  BAD_VERSION,
  /** A tag byte that the format does not define. */
  UNKNOWN_TAG,
  /** A defined tag this codec refuses: compressed terms, local funs, atom cache references, legacy pids. */
  UNSUPPORTED_TAG,
  /** Terms nest deeper than the limit. */
  DEPTH_EXCEEDED,
  /** More terms than the limit. */
  TOO_MANY_TERMS,
  /** An atom longer than 255 characters or than its length field allows. */
  ATOM_TOO_LONG,
  /** An atom whose bytes are not valid UTF-8. */
  INVALID_UTF8,
  /** A binary larger than the limit. */
  BINARY_TOO_LARGE,
  /** An integer whose magnitude takes more bytes than the limit. */
  BIGNUM_TOO_LARGE,
  /** A float that is NaN or infinite. */
  INVALID_FLOAT,
  /** A bitstring with a bad bit count or set padding bits. */
  INVALID_BITSTRING,
  /** A reference with no words or more than five. */
  INVALID_REFERENCE,
  /** A map holding the same key twice. */
  DUPLICATE_MAP_KEY,
  /** Bytes after the end of the top-level term. */
  TRAILING_BYTES,
  /** A valid term written differently from how the deterministic encoder writes it. */
  NON_CANONICAL,
  /** Decoding would allocate more than the limit allows. */
  ALLOCATION_LIMIT
}
