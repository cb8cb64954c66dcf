package dev.dala.ota.release.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.signer.base.BaseFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fingerprint file: the body the server's {@code POST /api/v1/apps/{app}/bases} takes, with
 * the id in {@code fingerprint}. Keys are written in one fixed order and maps sorted, so the
 * same base always gives the same bytes.
 */
public final class FingerprintJson {

  /** Larger than any real fingerprint file (100,000 modules at ~80 bytes each). */
  static final long MAX_FILE_BYTES = 16L << 20;

  private FingerprintJson() {}

  /** The body in snake_case, as the server reads it. */
  public static Map<String, Object> body(BaseFingerprint fingerprint) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fingerprint", fingerprint.id());
    body.put("platform", fingerprint.platform());
    body.put("otp_release", fingerprint.otpRelease());
    body.put("erts_version", fingerprint.ertsVersion());
    body.put("elixir_version", fingerprint.elixirVersion());
    body.put("static_nifs", List.copyOf(fingerprint.staticNifs()));
    body.put("module_md5s", new TreeMap<>(fingerprint.moduleMd5s()));
    return body;
  }

  public static String write(BaseFingerprint fingerprint) {
    return JsonOutput.toJson(body(fingerprint)) + "\n";
  }

  /** Reads a fingerprint file and checks that its id matches its fields. */
  public static BaseFingerprint read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw ReleaseException.badInput(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a fingerprint file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw ReleaseException.badInput(file + ": no such file");
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": " + e.getMessage());
    }
    JsonNode node;
    try {
      node = JsonOutput.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": not JSON: " + e.getMessage());
    }
    return parse(node, file.toString());
  }

  static BaseFingerprint parse(JsonNode node, String source) {
    List<String> problems = new ArrayList<>();
    if (node == null || !node.isObject()) {
      throw ReleaseException.badInput(source + ": not a fingerprint (expected a JSON object)");
    }
    String platform = text(node, "platform", problems);
    String otp = text(node, "otp_release", problems);
    String erts = text(node, "erts_version", problems);
    String elixir = node.hasNonNull("elixir_version") ? node.get("elixir_version").asText() : "";
    TreeSet<String> nifs = new TreeSet<>();
    JsonNode nifNode = node.get("static_nifs");
    if (nifNode != null && !nifNode.isArray()) {
      problems.add("static_nifs must be an array of module names");
    } else if (nifNode != null) {
      nifNode.forEach(n -> nifs.add(n.asText()));
    }
    TreeMap<String, String> md5s = new TreeMap<>();
    JsonNode md5Node = node.get("module_md5s");
    if (md5Node != null && !md5Node.isObject()) {
      problems.add("module_md5s must be an object of module name to MD5");
    } else if (md5Node != null) {
      for (Map.Entry<String, JsonNode> e : md5Node.properties()) {
        md5s.put(e.getKey(), e.getValue().asText());
      }
    }
    if (!problems.isEmpty()) {
      throw new ReleaseException(dev.dala.ota.release.cli.ExitCode.BAD_INPUT, source + ": not a valid fingerprint",
          problems);
    }
    BaseFingerprint fingerprint = new BaseFingerprint(platform, otp, erts, elixir, nifs, md5s);
    problems.addAll(fingerprint.problems());
    String claimed = node.hasNonNull("fingerprint") ? node.get("fingerprint").asText() : null;
    if (claimed != null && !claimed.equals(fingerprint.id())) {
      problems.add("fingerprint " + claimed + " does not match the fields, which give " + fingerprint.id());
    }
    if (!problems.isEmpty()) {
      throw new ReleaseException(dev.dala.ota.release.cli.ExitCode.BAD_INPUT, source + ": not a valid fingerprint",
          problems);
    }
    return fingerprint;
  }

  private static String text(JsonNode node, String field, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      problems.add(field + " is missing or not a string");
      return "";
    }
    return value.asText();
  }
}
