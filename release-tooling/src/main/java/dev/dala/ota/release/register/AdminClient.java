package dev.dala.ota.release.register;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The few calls of the server's admin API that release tooling makes, with a bearer token.
 * Problem+json answers become a {@link ReleaseException} listing each sub-problem.
 */
public final class AdminClient {

  /** An answer the server accepted: its status and JSON body. */
  public record Answer(int status, JsonNode body) {}

  /** Caps what is read back; a base answer is a few hundred bytes. */
  static final int MAX_ANSWER_BYTES = 1 << 20;

  private final URI server;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  public AdminClient(URI server, String token, Duration timeout) {
    this.server = Objects.requireNonNull(server, "server");
    this.token = Objects.requireNonNull(token, "token");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    String scheme = server.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw ReleaseException.usage("the server URL must start with http:// or https://");
    }
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Registers a base; the server answers 201 for a new one and 200 for one it knew. */
  public Answer registerBase(String app, String json) {
    String path = "/api/v1/apps/" + URLEncoder.encode(app, StandardCharsets.UTF_8).replace("+", "%20") + "/bases";
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ReleaseException(ExitCode.UNAVAILABLE, "cannot reach " + server + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException(ExitCode.UNAVAILABLE, "interrupted while talking to " + server);
    }
    JsonNode body = parse(response.body());
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      if (body == null) {
        throw new ReleaseException(ExitCode.UNAVAILABLE, server + " answered " + status + " without a JSON body");
      }
      return new Answer(status, body);
    }
    throw refused(status, body);
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_ANSWER_BYTES) {
      return null;
    }
    try {
      return JsonOutput.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private ReleaseException refused(int status, JsonNode problem) {
    String type = problem != null && problem.hasNonNull("type") ? problem.get("type").asText() : "http_" + status;
    String detail = problem != null && problem.hasNonNull("detail") ? problem.get("detail").asText()
        : problem != null && problem.hasNonNull("title") ? problem.get("title").asText() : "no details";
    List<String> errors = new ArrayList<>();
    if (problem != null && problem.has("errors") && problem.get("errors").isArray()) {
      for (JsonNode e : problem.get("errors")) {
        errors.add(text(e, "code") + ": " + text(e, "subject") + ": " + text(e, "detail"));
      }
    }
    int exit = status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.PROBLEMS;
    String hint = status == 401 ? " (is the token right?)" : status == 403 ? " (the token needs the publisher role)"
        : status == 404 ? " (does the app exist, in the token's organisation?)" : "";
    return new ReleaseException(exit, "the server refused (" + status + " " + type + "): " + detail + hint, errors);
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : "-";
  }

  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
