package dev.dala.ota.server.support;

import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Many check-ins at once, for tests about a fleet: the JDK's HTTP client with a bounded number
 * in flight, returning each device's decision.
 */
public final class FleetCheckins {

  private FleetCheckins() {}

  /** "update" or "none" for each install id, in order. */
  public static List<String> decisions(String channelKey, String platform, String otp, String fingerprint,
      long currentSequence, List<String> installIds) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/device/v1/checkin");
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (String id : installIds) {
      String body = "{\"channel_key\":\"" + channelKey + "\",\"install_id\":\"" + id + "\",\"platform\":\"" + platform
          + "\",\"base_fingerprint\":\"" + fingerprint + "\",\"otp_release\":\"" + otp + "\",\"current_sequence\":"
          + currentSequence + ",\"agent_version\":\"0.1.0\"}";
      inFlight.acquire();
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> inFlight.release())
          .thenApply(r -> {
            if (r.statusCode() != 200) {
              throw new IllegalStateException("check-in answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().startsWith("{\"decision\":\"update\"") ? "update" : "none";
          }));
    }
    List<String> out = new ArrayList<>();
    for (CompletableFuture<String> f : answers) {
      out.add(f.get());
    }
    return out;
  }
}
