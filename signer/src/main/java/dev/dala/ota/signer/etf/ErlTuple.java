package dev.dala.ota.signer.etf;

import java.util.List;
import java.util.Objects;

/** A tuple. */
public record ErlTuple(List<ErlTerm> elements) implements ErlTerm {

  public ErlTuple {
    elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
  }

  public static ErlTuple of(ErlTerm... elements) {
    return new ErlTuple(List.of(elements));
  }

  public int arity() {
    return elements.size();
  }

  public ErlTerm get(int index) {
    return elements.get(index);
  }

  @Override
  public int typeRank() {
    return 6;
  }
}
