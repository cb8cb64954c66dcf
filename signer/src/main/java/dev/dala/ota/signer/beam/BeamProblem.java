package dev.dala.ota.signer.beam;

/** What is wrong with a file that is not a loadable .beam. Codes are stable. */
public enum BeamProblem {
  /** Neither the IFF magic {@code FOR1...BEAM} nor gzip. */
  BAD_MAGIC,
  /** The file is larger than the configured limit. */
  FILE_TOO_LARGE,
  /** The gzip stream is corrupt or inflates beyond the configured limit. */
  BAD_COMPRESSION,
  /** The IFF form's length does not match the file. */
  FORM_SIZE_MISMATCH,
  /** A chunk header or body runs past the end of the form. */
  TRUNCATED_CHUNK,
  /** Two chunks with the same id. */
  DUPLICATE_CHUNK,
  /** More chunks than the configured limit. */
  TOO_MANY_CHUNKS,
  /** No {@code AtU8} or {@code Atom} chunk. */
  MISSING_ATOM_TABLE,
  /** A chunk the loader requires ({@code Code}, {@code ImpT}, {@code ExpT}, {@code StrT}) is absent. */
  MISSING_CHUNK,
  /** The atom table's count or an atom's length is inconsistent with the chunk. */
  BAD_ATOM_TABLE,
  /** An import or export names an atom index outside the atom table. */
  BAD_ATOM_INDEX,
  /** The {@code Code} chunk header is short or inconsistent. */
  BAD_CODE_HEADER,
  /** An instruction set other than 0, which no released BEAM loads. */
  UNSUPPORTED_INSTRUCTION_SET,
  /** An import, export or literal table whose size does not match its count. */
  BAD_TABLE,
  /** The {@code Attr} or {@code CInf} chunk is not a readable term. */
  BAD_METADATA,
  /** The module inside is not the one the file name says. */
  MODULE_NAME_MISMATCH
}
