package dev.dala.ota.release.preflight;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What preflight found in one file: every finding, and facts worth showing (signature schemes,
 * sizes). Errors make the command exit non-zero.
 */
public record PreflightReport(String file, String kind, List<Finding> findings, Map<String, Object> facts) {

  public PreflightReport {
    findings = List.copyOf(findings);
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  public long errors() {
    return findings.stream().filter(Finding::isError).count();
  }

  public long warnings() {
    return findings.size() - errors();
  }

  public boolean passed() {
    return errors() == 0;
  }

  public boolean has(Check check) {
    return findings.stream().anyMatch(f -> f.check() == check);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("file", file);
    map.put("kind", kind);
    map.put("passed", passed());
    map.put("errors", errors());
    map.put("warnings", warnings());
    map.put("facts", facts);
    map.put("findings", findings.stream().map(Finding::toMap).toList());
    return map;
  }

  public void printText(PrintWriter out) {
    out.println(file + " (" + kind + "): " + errors() + " error" + (errors() == 1 ? "" : "s") + ", " + warnings()
        + " warning" + (warnings() == 1 ? "" : "s"));
    facts.forEach((k, v) -> out.println("  " + k + ": " + v));
    findings.forEach(f -> out.println(f));
  }
}
