package dev.dala.ota.signer.bundle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which modules a bundle must never carry: those of OTP and Elixir, which belong to the base
 * and must match its runtime, and the update agent's own, which must not replace itself.
 * The OTP and Elixir names come from Debian's packages of both tested releases
 * ({@code tools/gen-reserved-modules}).
 */
public final class ModulePolicy {

  /** Why a module is refused. */
  public enum Reserved {
    OTP_OR_ELIXIR("ships with OTP or Elixir"),
    AGENT("belongs to the update agent");

    private final String reason;

    Reserved(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private static final String RESOURCE = "/dev/dala/ota/signer/bundle/reserved-modules.txt";
  private static final ModulePolicy STANDARD = new ModulePolicy(load());

  private final Set<String> runtimeModules;

  private ModulePolicy(Set<String> runtimeModules) {
    this.runtimeModules = Set.copyOf(runtimeModules);
  }

  public static ModulePolicy standard() {
    return STANDARD;
  }

  /** Why {@code module} may not be bundled, or empty when it may. */
  public Optional<Reserved> check(String module) {
    if (module.equals("Elixir.DalaOta") || module.startsWith("Elixir.DalaOta.") || module.startsWith("dala_ota")) {
      return Optional.of(Reserved.AGENT);
    }
    if (runtimeModules.contains(module)) {
      return Optional.of(Reserved.OTP_OR_ELIXIR);
    }
    return Optional.empty();
  }

  public int runtimeModuleCount() {
    return runtimeModules.size();
  }

  private static Set<String> load() {
    try (InputStream in = ModulePolicy.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      Set<String> names = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          names.add(line);
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
