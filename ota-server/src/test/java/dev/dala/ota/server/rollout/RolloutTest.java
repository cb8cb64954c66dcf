package dev.dala.ota.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.FleetCheckins;
import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RolloutTest extends ServerTest {

  @Test
  void aTenPercentRolloutReachesTenPercentOf20000DevicesAndEachAlwaysGetsTheSameAnswer() throws Exception {
    Fleet fleet = new Fleet();
    long sequence = fleet.publishModules("v1", Map.of("app_main", Modules.versioned("app_main", 1))).getLong("sequence");
    fleet.deploy(sequence, Map.of("rollout", Map.of("percent", 10)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ids.add(String.format("install-%08d", i));
    }
    List<Boolean> first = decide(fleet, ids);
    long updates = first.stream().filter(b -> b).count();
    assertThat(updates).as("devices offered the update").isBetween(1_800L, 2_200L);
    List<String> sample = ids.subList(0, 3_000);
    assertThat(decide(fleet, sample)).isEqualTo(first.subList(0, 3_000));
  }

  @Test
  void aWaveAdvancesOnlyOnceEnoughDevicesConfirmed() throws Exception {
    Fleet fleet = new Fleet();
    long sequence = fleet.publishModules("v1", Map.of("m", Modules.versioned("m", 1))).getLong("sequence");
    String id = fleet.deploy(sequence, Map.of("rollout", Map.of("waves", List.of(
        Map.of("percent", 5, "advance_after", 3), Map.of("percent", 60))))).getString("id");
    List<TestDevice> offered = new ArrayList<>();
    for (int i = 0; offered.size() < 4 && i < 2_000; i++) {
      TestDevice d = fleet.device(String.format("wave-device-%05d", i));
      if ("update".equals(d.checkin().getString("decision"))) {
        offered.add(d);
      }
    }
    assertThat(offered).hasSize(4);
    offered.get(0).report("confirmed", sequence, null);
    offered.get(1).report("confirmed", sequence, null);
    assertThat(fleet.deployment(id).getInt("current_wave")).as("two confirmations of three").isZero();
    // The same device confirming twice counts once.
    offered.get(1).report("confirmed", sequence, null);
    assertThat(fleet.deployment(id).getInt("current_wave")).isZero();
    offered.get(2).report("confirmed", sequence, null);
    JsonPath advanced = fleet.deployment(id);
    assertThat(advanced.getInt("current_wave")).isEqualTo(1);
    assertThat(advanced.getInt("rollout_percent")).isEqualTo(60);
    assertThat(advanced.getInt("stats.find { it.wave == 0 }.confirmed")).isEqualTo(3);
    long offeredNow = new ArrayList<>(decide(fleet, range("wave-device-", 2_000))).stream().filter(b -> b).count();
    assertThat(offeredNow).isBetween(1_000L, 1_400L);
    List<Map<String, Object>> audit = admin().get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
        .getList("findAll { it.target_id == '" + id + "' && it.action == 'deployment.advance' }");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("actor")).isEqualTo("system");
  }

  @Test
  void failuresAboveTheThresholdHaltTheRolloutByThemselves() throws Exception {
    Fleet fleet = new Fleet();
    long sequence = fleet.publishModules("v1", Map.of("m", Modules.versioned("m", 1))).getLong("sequence");
    String id = fleet.deploy(sequence, Map.of("failure_threshold", Map.of("count", 3, "rate", 0.9, "min_sample", 100)))
        .getString("id");
    List<TestDevice> devices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestDevice d = fleet.device("failing-device-" + i);
      assertThat(d.checkin().getString("decision")).isEqualTo("update");
      devices.add(d);
    }
    devices.get(0).report("applied", sequence, null);
    devices.get(0).report("failed", sequence, "crash in init");
    devices.get(1).report("rolled_back", sequence, "crash loop: 3 boots in 60 s");
    assertThat(fleet.deployment(id).getString("state")).isEqualTo("active");
    devices.get(2).report("failed", sequence, "badarg");
    JsonPath halted = fleet.deployment(id);
    assertThat(halted.getString("state")).isEqualTo("halted");
    assertThat(halted.getString("halted_reason")).contains("3 devices failed");
    assertThat(devices.get(3).checkin().getString("reason")).isEqualTo("deployment_halted");
    var audit = admin().get("/api/v1/audit").then().extract().jsonPath()
        .getList("findAll { it.target_id == '" + id + "' && it.action == 'deployment.halt' }", Map.class);
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("actor")).isEqualTo("system");
    String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("ota_deployments_halted_total").contains("ota_checkins_total{outcome=\"deployment_halted\"}");
    // A person resumes it; the wave starts counting afresh.
    admin().post("/api/v1/apps/" + fleet.app + "/deployments/" + id + "/resume").then().statusCode(200);
    assertThat(devices.get(3).checkin().getString("decision")).isEqualTo("update");
  }

  @Test
  void theFailureRateHaltsOnceTheWaveHasEnoughAttempts() throws Exception {
    Fleet fleet = new Fleet();
    long sequence = fleet.publishModules("v1", Map.of("m", Modules.versioned("m", 1))).getLong("sequence");
    String id = fleet.deploy(sequence, Map.of("failure_threshold", Map.of("count", 1000, "rate", 0.5, "min_sample", 4)))
        .getString("id");
    for (int i = 0; i < 3; i++) {
      TestDevice d = fleet.device("rate-device-" + i);
      d.checkin();
      d.report("failed", sequence, "boom");
    }
    assertThat(fleet.deployment(id).getString("state")).as("3 attempts are under the sample size").isEqualTo("active");
    TestDevice fourth = fleet.device("rate-device-3");
    fourth.checkin();
    fourth.report("applied", sequence, null);
    assertThat(fleet.deployment(id).getString("state")).isEqualTo("active");
    TestDevice fifth = fleet.device("rate-device-4");
    fifth.checkin();
    fifth.report("failed", sequence, "boom");
    assertThat(fleet.deployment(id).getString("state")).isEqualTo("halted");
  }

  static List<String> range(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format(prefix + "%05d", i));
    }
    return ids;
  }

  static List<Boolean> decide(Fleet fleet, List<String> ids) throws Exception {
    return FleetCheckins.decisions(fleet.channelKey, "android", "25", fleet.base, 0, ids).stream()
        .map("update"::equals).toList();
  }
}
