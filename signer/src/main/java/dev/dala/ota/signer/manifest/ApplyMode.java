package dev.dala.ota.signer.manifest;

/** When a device loads a release's modules. */
public enum ApplyMode {
  /** Soft-purge and load every module into the running system, all or nothing. */
  HOT("hot"),
  /** Stage the modules and load them at the app's next start. */
  NEXT_START("next_start");

  private final String atom;

  ApplyMode(String atom) {
    this.atom = atom;
  }

  public String atom() {
    return atom;
  }

  public static ApplyMode fromAtom(String atom) {
    for (ApplyMode mode : values()) {
      if (mode.atom.equals(atom)) {
        return mode;
      }
    }
    return null;
  }
}
