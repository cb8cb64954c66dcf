package dev.dala.ota.signer.etf;

import java.util.Objects;

/** A process identifier as a modern node writes it (NEW_PID_EXT): 32-bit id, serial and creation. */
public record ErlPid(ErlAtom node, long id, long serial, long creation) implements ErlTerm {

  public ErlPid {
    Objects.requireNonNull(node, "node");
    Unsigned.requireU32(id, "id");
    Unsigned.requireU32(serial, "serial");
    Unsigned.requireU32(creation, "creation");
  }

  @Override
  public int typeRank() {
    return 5;
  }
}
