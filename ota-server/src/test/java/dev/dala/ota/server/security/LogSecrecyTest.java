package dev.dala.ota.server.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.OtaStack;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.testing.services.PostgresServer;
import dev.dala.ota.testing.services.S3ProxyServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's own log never holds a secret, whatever requests it has served. */
@QuarkusTest
class LogSecrecyTest extends ServerTest {

  @Test
  void theLogHoldsNoTokenPasswordOrPrivateKey() throws Exception {
    List<String> secrets = new ArrayList<>(List.of(OtaStack.ADMIN_TOKEN, PostgresServer.PASSWORD, S3ProxyServer.SECRET_KEY));
    String created = admin().contentType(ContentType.JSON).body(Map.of("name", "leak-check", "role", "viewer"))
        .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    secrets.add(created);
    // Requests that fail are the ones most tempted to log what they carried.
    given().header("Authorization", "Bearer " + created + "x").get("/api/v1/apps").then().statusCode(401);
    given().header("Authorization", "Bearer ota_wrong-token-but-well-formed-1234").get("/api/v1/audit").then().statusCode(401);
    admin().contentType(ContentType.JSON).body("{not json").post("/api/v1/apps").then().statusCode(400);
    for (Path key : Files.newDirectoryStream(OtaStack.keysDir(), "*.key.pem")) {
      String pem = Files.readString(key);
      secrets.add(pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
    }
    Path log = Path.of(System.getProperty("dala.test.server-log", "target/server-test.log"));
    assertThat(log).exists();
    String text = Files.readString(log);
    assertThat(text).isNotBlank();
    for (String secret : secrets) {
      assertThat(text).as("the log holds a secret").doesNotContain(secret);
    }
    assertThat(text).doesNotContain("PRIVATE KEY");
  }
}
