package dev.dala.ota.signer.trust;

import dev.dala.ota.signer.keys.VerifyingKey;
import java.util.Objects;
import java.util.Set;

/**
 * The root public keys a device pins in its base build. A chain must pass through the root
 * document of one of them; any later root is reached only by rotation, one version at a time.
 */
public record TrustAnchors(Set<VerifyingKey> pinnedRoots) {

  public TrustAnchors {
    pinnedRoots = Set.copyOf(Objects.requireNonNull(pinnedRoots, "pinnedRoots"));
    if (pinnedRoots.isEmpty()) {
      throw new IllegalArgumentException("at least one root key must be pinned");
    }
  }

  public static TrustAnchors of(VerifyingKey... roots) {
    return new TrustAnchors(Set.of(roots));
  }

  public boolean isPinned(VerifyingKey key) {
    return pinnedRoots.contains(key);
  }
}
