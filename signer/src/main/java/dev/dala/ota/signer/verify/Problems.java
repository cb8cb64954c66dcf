package dev.dala.ota.signer.verify;

import java.util.ArrayList;
import java.util.List;

/** Collects problems as a verification goes, so that a caller sees every one at once. */
public final class Problems {

  private final List<Problem> list = new ArrayList<>();

  public Problems add(Issue issue, String detail) {
    list.add(new Problem(issue, detail));
    return this;
  }

  public Problems addAll(List<Problem> problems) {
    list.addAll(problems);
    return this;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public boolean has(Issue issue) {
    return list.stream().anyMatch(p -> p.issue() == issue);
  }

  public List<Problem> toList() {
    return List.copyOf(list);
  }
}
