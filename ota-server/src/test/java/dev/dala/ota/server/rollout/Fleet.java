package dev.dala.ota.server.rollout;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An app with one channel, one base and helpers to publish and deploy on it. */
final class Fleet extends ServerTest {

  final String app = createApp();
  final String channelKey = createChannel(app, "production");
  final String base = registerBase(app, "android", "25", List.of());

  JsonPath publishModules(String label, Map<String, String> sources) {
    Path ebin = Modules.compile(sources);
    return publish(app, Modules.draft(app, label, ebin), 201);
  }

  JsonPath deploy(long sequence, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("channel", "production", "sequence", sequence));
    body.putAll(extra);
    return admin().contentType(ContentType.JSON).body(body).post("/api/v1/apps/" + app + "/deployments")
        .then().statusCode(201).extract().jsonPath();
  }

  JsonPath deployment(String id) {
    return admin().get("/api/v1/apps/" + app + "/deployments/" + id).then().statusCode(200).extract().jsonPath();
  }

  TestDevice device(String installId) {
    return new TestDevice(channelKey, installId, "android", "25", base);
  }
}
