package dev.dala.ota.release.preflight;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One problem preflight found: what, how bad, where in the archive, and the details. */
public record Finding(Check check, Severity severity, String path, String detail) {

  /** Errors make a store refuse the file; warnings are worth a look. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("code", check.code());
    map.put("store_code", check.storeCode());
    map.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
    map.put("path", path);
    map.put("detail", detail);
    return map;
  }

  @Override
  public String toString() {
    String store = check.storeCode() == null ? "-" : check.storeCode();
    return String.format("%-7s %-5s %-26s %s: %s", severity.name().toLowerCase(java.util.Locale.ROOT), store,
        check.code(), path, detail);
  }
}
