package dev.dala.ota.signer.etf;

import java.util.List;
import java.util.Objects;

/**
 * A list. {@code tail} is null for a proper list; an improper list keeps its last tail there.
 * The empty list is {@link #NIL}.
 */
public record ErlList(List<ErlTerm> elements, ErlTerm tail) implements ErlTerm {

  public static final ErlList NIL = new ErlList(List.of(), null);

  public ErlList {
    elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    if (tail != null && elements.isEmpty()) {
      throw new IllegalArgumentException("an improper list needs at least one element");
    }
    if (tail instanceof ErlList l && l.tail == null && l.elements.isEmpty()) {
      tail = null;
    }
  }

  public static ErlList of(List<? extends ErlTerm> elements) {
    return elements.isEmpty() ? NIL : new ErlList(List.copyOf(elements), null);
  }

  public static ErlList of(ErlTerm... elements) {
    return of(List.of(elements));
  }

  public boolean isProper() {
    return tail == null;
  }

  public boolean isNil() {
    return elements.isEmpty();
  }

  @Override
  public int typeRank() {
    return elements.isEmpty() ? 8 : 9;
  }
}
