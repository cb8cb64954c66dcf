package dev.dala.ota.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Modules;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import dev.dala.ota.signer.beam.BeamReader;
import dev.dala.ota.testing.otp.OtpRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A release of 300 real modules, more than 5 MiB, crosses one session into a real node, which
 * loads every module with code:load_binary/3; each loaded module's MD5 is the one beam_lib
 * gives for the published file.
 */
@QuarkusTest
class LargeDeliveryTest extends ServerTest {

  static final int MODULES = 300;
  static final long FIVE_MIB = 5L * 1024 * 1024;

  @Inject
  DistService dist;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host", "otp29"})
  void threeHundredModulesOverFiveMegabytesArriveAndLoad(String name) throws Exception {
    OtpRuntime otp = name.equals("host") ? OtpRuntime.host() : OtpRuntime.otp29();
    Path ebin = GeneratedModules.compile(otp, "big", MODULES, 44);
    Map<String, String> expectedMd5 = new TreeMap<>();
    long total = 0;
    try (Stream<Path> files = Files.list(ebin)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        total += bytes.length;
        String module = file.getFileName().toString().replace(".beam", "");
        expectedMd5.put(module, HexFormat.of().withUpperCase().formatHex(
            new BeamReader().read(bytes, file.getFileName().toString()).md5()));
      }
    }
    assertThat(expectedMd5).hasSize(MODULES);
    assertThat(total).isGreaterThan(FIVE_MIB);

    String app = createApp();
    String channelKey = createChannel(app, "production");
    String release = otp.otpRelease();
    String base = registerBase(app, "android", release, List.of());
    long sequence = publish(app, Modules.draft(app, "big", ebin), 201).getLong("sequence");
    admin().contentType(ContentType.JSON).body(Map.of("channel", "production", "sequence", sequence))
        .post("/api/v1/apps/" + app + "/deployments").then().statusCode(201);
    TestDevice device = new TestDevice(channelKey, "big-device-" + name, "android", release, base);

    String result = SessionDevice.run(otp, dist.epmdPort(), "deliver", OfferedSession.checkIn(device));
    Matcher head = Pattern.compile("^\\{delivered,(\\d+),(\\d+),applied,closed,\\[\\],").matcher(result);
    assertThat(head.find()).as(result.length() > 400 ? result.substring(0, 400) : result).isTrue();
    assertThat(Integer.parseInt(head.group(1))).isEqualTo(MODULES);
    assertThat(Long.parseLong(head.group(2))).isGreaterThan(FIVE_MIB);
    Map<String, String> loadedMd5 = new TreeMap<>();
    Matcher entry = Pattern.compile("\\{<<\"([a-z_0-9]+)\">>,<<\"([0-9A-F]{32})\">>\\}").matcher(result);
    while (entry.find()) {
      loadedMd5.put(entry.group(1), entry.group(2));
    }
    assertThat(loadedMd5).isEqualTo(expectedMd5);
  }
}
