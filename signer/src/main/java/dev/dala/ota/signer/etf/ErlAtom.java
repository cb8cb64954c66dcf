package dev.dala.ota.signer.etf;

import java.util.Objects;

/** An atom. Its text may hold at most 255 characters, as in the BEAM. */
public record ErlAtom(String name) implements ErlTerm {

  public static final int MAX_CHARACTERS = 255;
  public static final ErlAtom TRUE = new ErlAtom("true");
  public static final ErlAtom FALSE = new ErlAtom("false");
  public static final ErlAtom UNDEFINED = new ErlAtom("undefined");

  public ErlAtom {
    Objects.requireNonNull(name, "name");
    if (name.codePointCount(0, name.length()) > MAX_CHARACTERS) {
      throw new IllegalArgumentException("atom longer than 255 characters");
    }
  }

  public static ErlAtom of(String name) {
    return new ErlAtom(name);
  }

  public static ErlAtom of(boolean value) {
    return value ? TRUE : FALSE;
  }

  @Override
  public int typeRank() {
    return 1;
  }

  @Override
  public String toString() {
    return name;
  }
}
