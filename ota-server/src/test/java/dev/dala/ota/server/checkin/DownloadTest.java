package dev.dala.ota.server.checkin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import dev.dala.ota.signer.bundle.BundleFile;
import dev.dala.ota.signer.bundle.BundleLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DownloadTest extends ServerTest {

  @Test
  void bundlesAndModulesDownloadWithEtagAndRanges() throws Exception {
    String app = createApp();
    String key = createChannel(app, "production");
    String otherKey = createChannel(app, "staging");
    String base = registerBase(app, "android", "25", List.of());
    long sequence = publish(app, Modules.draft(app, "v1", Modules.compile(Map.of("m", Modules.versioned("m", 1)))), 201)
        .getLong("sequence");
    admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    JsonPath update = new TestDevice(key, "download-device", "android", "25", base).checkin();
    String url = update.getString("update.bundle_url");
    String sha = update.getString("update.bundle_sha256");

    byte[] bundle = given().header("X-Dala-Channel-Key", key).get(url).then().statusCode(200)
        .header("ETag", "\"" + sha + "\"").header("Accept-Ranges", "bytes").extract().asByteArray();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle))).isEqualTo(sha);
    assertThat(BundleFile.read(bundle, BundleLimits.DEFAULT).modules()).hasSize(1);

    given().header("X-Dala-Channel-Key", key).header("If-None-Match", "\"" + sha + "\"").get(url).then().statusCode(304);
    byte[] part = given().header("X-Dala-Channel-Key", key).header("Range", "bytes=10-29").get(url).then()
        .statusCode(206).header("Content-Range", "bytes 10-29/" + bundle.length).extract().asByteArray();
    assertThat(part).isEqualTo(Arrays.copyOfRange(bundle, 10, 30));
    byte[] tail = given().header("X-Dala-Channel-Key", key).header("Range", "bytes=-16").get(url).then()
        .statusCode(206).extract().asByteArray();
    assertThat(tail).isEqualTo(Arrays.copyOfRange(bundle, bundle.length - 16, bundle.length));
    given().header("X-Dala-Channel-Key", key).header("Range", "bytes=" + bundle.length + "-").get(url).then()
        .statusCode(416).header("Content-Range", "bytes */" + bundle.length);

    String moduleSha = admin().get("/api/v1/apps/" + app + "/releases/" + sequence).then().extract().path("modules[0].sha256");
    byte[] module = given().header("X-Dala-Channel-Key", key).get(update.getString("update.modules_url") + moduleSha)
        .then().statusCode(200).extract().asByteArray();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module))).isEqualTo(moduleSha);

    // Not deployed on that channel, no key, or a key of nothing: nothing to download.
    given().header("X-Dala-Channel-Key", otherKey).get(url).then().statusCode(404);
    given().get(url).then().statusCode(401);
    given().header("X-Dala-Channel-Key", "ck_nothingnothingnothing").get(url).then().statusCode(404);
  }
}
