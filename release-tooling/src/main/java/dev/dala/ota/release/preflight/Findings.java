package dev.dala.ota.release.preflight;

import java.util.ArrayList;
import java.util.List;

/** Collects findings as the checks run, so that a user sees every problem at once. */
public final class Findings {

  private final List<Finding> list = new ArrayList<>();

  public Findings error(Check check, String path, String detail) {
    list.add(new Finding(check, Finding.Severity.ERROR, path, detail));
    return this;
  }

  public Findings warning(Check check, String path, String detail) {
    list.add(new Finding(check, Finding.Severity.WARNING, path, detail));
    return this;
  }

  public boolean has(Check check) {
    return list.stream().anyMatch(f -> f.check() == check);
  }

  public List<Finding> toList() {
    return List.copyOf(list);
  }
}
