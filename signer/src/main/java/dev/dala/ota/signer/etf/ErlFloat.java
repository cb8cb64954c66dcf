package dev.dala.ota.signer.etf;

/** A float. The BEAM has no NaN or infinities, so neither has this type. */
public record ErlFloat(double value) implements ErlTerm {

  public ErlFloat {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Erlang floats are finite");
    }
  }

  @Override
  public int typeRank() {
    return 0;
  }

  @Override
  public boolean equals(Object other) {
    // Bit equality, so that 0.0 and -0.0 stay distinct as they are for =:= since OTP 27.
    return other instanceof ErlFloat f
        && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(Double.doubleToRawLongBits(value));
  }
}
