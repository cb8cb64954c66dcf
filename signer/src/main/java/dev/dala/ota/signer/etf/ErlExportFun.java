package dev.dala.ota.signer.etf;

import java.util.Objects;

/**
 * An external fun {@code fun M:F/A}. It names a function; nothing here ever calls it. It exists
 * because compiled literal tables and peers' messages may contain one.
 */
public record ErlExportFun(ErlAtom module, ErlAtom function, int arity) implements ErlTerm {

  public ErlExportFun {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(function, "function");
    if (arity < 0 || arity > 255) {
      throw new IllegalArgumentException("arity must be 0..255");
    }
  }

  @Override
  public int typeRank() {
    return 3;
  }
}
