package dev.dala.ota.signer.etf;

/**
 * A term in the Erlang External Term Format, as this project encodes and decodes it.
 *
 * <p>The set is closed on purpose: only terms that signed documents and the distribution
 * endpoint need exist, so a decoder can never hand back something a caller did not expect.
 */
public sealed interface ErlTerm
    permits ErlAtom, ErlInteger, ErlFloat, ErlBinary, ErlBitstring, ErlList, ErlTuple, ErlMap,
        ErlPid, ErlRef, ErlPort, ErlExportFun {

  /** The rank of this term's type in Erlang's standard order (number &lt; atom &lt; … &lt; bitstring). */
  int typeRank();
}
