package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Database;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A change committed by another pod reaches this pod's check-in cache through the database's
 * notification, without this pod having made the change.
 */
@QuarkusTest
class CacheConvergenceTest extends ServerTest {

  @Test
  void anotherPodsChangeReachesThisPodsCheckins() throws Exception {
    String app = createApp();
    String key = createChannel(app, "production");
    String base = registerBase(app, "android", "25", List.of());
    long sequence = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("conv", Modules.versioned("conv", 1)))), 201)
        .getLong("sequence");
    String id = admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201).extract().path("id");
    TestDevice device = new TestDevice(key, "converging-device", "android", "25", base);
    assertThat(device.checkin().getString("decision")).isEqualTo("update");
    // What another pod does when it pauses the deployment: update the row, notify, commit.
    UUID appId = (UUID) Database.column("select id from app where name = '" + app + "'").get(0);
    Database.execute("update deployment set state = 'paused' where id = ?1", UUID.fromString(id));
    Database.execute("select pg_notify('ota_state', ?1)", appId.toString());
    String reason = null;
    for (int i = 0; i < 50 && !"deployment_paused".equals(reason); i++) {
      Thread.sleep(20);
      reason = device.checkin().getString("reason");
    }
    assertThat(reason).as("within a second of the notification").isEqualTo("deployment_paused");
  }

  @Test
  void checkinsAreRecordedInBatchesAsDevices() throws Exception {
    String app = createApp();
    String key = createChannel(app, "production");
    String base = registerBase(app, "android", "25", List.of());
    TestDevice device = new TestDevice(key, "batched-device-1", "android", "25", base);
    device.sequence = 0;
    device.checkin();
    long seen = 0;
    for (int i = 0; i < 50 && seen == 0; i++) {
      Thread.sleep(100);
      seen = Database.count("select count(*) from device d join app a on a.id = d.app_id where a.name = ?1"
          + " and d.install_id = 'batched-device-1'", app);
    }
    assertThat(seen).isEqualTo(1);
    var listed = admin().get("/api/v1/apps/" + app + "/devices").then().statusCode(200).extract().jsonPath();
    assertThat(listed.getString("[0].install_id")).isEqualTo("batched-device-1");
    assertThat(listed.getString("[0].channel")).isEqualTo("production");
  }
}
