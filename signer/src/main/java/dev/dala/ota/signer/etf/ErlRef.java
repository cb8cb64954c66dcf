package dev.dala.ota.signer.etf;

import java.util.Arrays;
import java.util.Objects;

/** A reference as NEWER_REFERENCE_EXT carries it: 1 to 5 32-bit words and a 32-bit creation. */
public record ErlRef(ErlAtom node, long creation, int[] ids) implements ErlTerm {

  public static final int MAX_IDS = 5;

  public ErlRef {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(ids, "ids");
    Unsigned.requireU32(creation, "creation");
    if (ids.length < 1 || ids.length > MAX_IDS) {
      throw new IllegalArgumentException("a reference has 1 to 5 id words");
    }
    ids = ids.clone();
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  int idAt(int index) {
    return ids[index];
  }

  int idCount() {
    return ids.length;
  }

  @Override
  public int typeRank() {
    return 2;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ErlRef r
        && r.node.equals(node)
        && r.creation == creation
        && Arrays.equals(r.ids, ids);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, creation) * 31 + Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "#Ref<" + node + "." + Arrays.toString(ids) + ">";
  }
}
