package dev.dala.ota.release.preflight;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The maintained list of private UIKit selectors that App Store Connect refuses (error 50),
 * kept in {@code private-uikit-selectors.txt} beside this class. It starts with the selectors
 * Dala's test-harness NIFs use for synthetic touches; add to the file as the store reports more.
 */
public final class PrivateSelectors {

  private static final Set<String> DEFAULT = load();

  private PrivateSelectors() {}

  public static Set<String> standard() {
    return DEFAULT;
  }

  private static Set<String> load() {
    try (InputStream in = PrivateSelectors.class.getResourceAsStream("private-uikit-selectors.txt")) {
      if (in == null) {
        throw new IllegalStateException("private-uikit-selectors.txt is missing from the jar");
      }
      Set<String> selectors = new TreeSet<>();
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(l -> l.replaceFirst("#.*", "").trim())
          .filter(l -> !l.isEmpty())
          .forEach(selectors::add);
      return Set.copyOf(selectors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
