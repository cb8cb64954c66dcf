package dev.dala.ota.signer.trust;

/** The online keys a root certifies, each for one job. */
public enum Role {
  /** Signs release manifests. */
  RELEASE("release"),
  /** Signs check-in responses. */
  SESSION("session");

  private final String atom;

  Role(String atom) {
    this.atom = atom;
  }

  public String atom() {
    return atom;
  }

  public static Role fromAtom(String atom) {
    for (Role role : values()) {
      if (role.atom.equals(atom)) {
        return role;
      }
    }
    return null;
  }
}
