package dev.dala.ota.signer.beam;

/** A function named by module (null for a module's own exports), name and arity. */
public record FunctionRef(String module, String function, int arity) {

  @Override
  public String toString() {
    return (module == null ? "" : module + ":") + function + "/" + arity;
  }
}
