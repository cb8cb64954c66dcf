package dev.dala.ota.signer.etf;

import java.util.Objects;

/** A port identifier with a 64-bit id, as V4_PORT_EXT carries it. */
public record ErlPort(ErlAtom node, long id, long creation) implements ErlTerm {

  public ErlPort {
    Objects.requireNonNull(node, "node");
    Unsigned.requireU32(creation, "creation");
  }

  @Override
  public int typeRank() {
    return 4;
  }
}
