package dev.dala.ota.server.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeviceTagsTest extends ServerTest {

  @Test
  void tagsAreSetValidatedFilteredAndAudited() {
    String app = createApp();
    String key = createChannel(app, "production");
    String base = registerBase(app, "android", "25", List.of());
    long sequence = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("tagged", Modules.versioned("tagged", 1)))),
        201).getLong("sequence");
    admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    new TestDevice(key, "tagged-device-1", "android", "25", base).checkin();
    new TestDevice(key, "tagged-device-2", "android", "25", base).checkin();
    String a = "/api/v1/apps/" + app;

    admin().contentType(ContentType.JSON).body(Map.of("tags", List.of("qa", "beta-testers")))
        .put(a + "/devices/tagged-device-1/tags").then().statusCode(200)
        .body("tags", equalTo(List.of("beta-testers", "qa")));
    assertThat(admin().get(a + "/devices?tag=qa").then().statusCode(200).extract().jsonPath().getList("install_id"))
        .containsExactly("tagged-device-1");
    assertThat(admin().get(a + "/devices").then().extract().jsonPath().getList("install_id"))
        .contains("tagged-device-1", "tagged-device-2");

    admin().contentType(ContentType.JSON).body(Map.of("tags", List.of("ok", "not ok", "ok")))
        .put(a + "/devices/tagged-device-1/tags").then().statusCode(400)
        .contentType("application/problem+json").body("errors.size()", equalTo(2));
    admin().contentType(ContentType.JSON).body(Map.of("tags", List.of("x")))
        .put(a + "/devices/no-such-device/tags").then().statusCode(404);
    assertThat(admin().get(a + "/devices/tagged-device-1").then().extract().jsonPath().getList("device.tags"))
        .containsExactly("beta-testers", "qa");

    var audit = admin().get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
    assertThat(audit.getList("action")).contains("device.tags");
  }
}
