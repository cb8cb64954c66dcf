package dev.dala.ota.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.server.support.Database;
import dev.dala.ota.server.support.ServerTest;
import dev.dala.ota.server.support.TestDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A flush that finds another one running completes only once what was buffered before it is
 * written: an event recorded right after a device's first check-in looks its device up that way.
 */
@QuarkusTest
@TestProfile(DeviceActivityFlushTest.NoTimedFlush.class)
class DeviceActivityFlushTest extends ServerTest {

  /** Only the test flushes. */
  public static class NoTimedFlush implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ota.checkin.last-seen-flush", "PT1H");
    }
  }

  @Inject
  DeviceActivity activity;

  @Inject
  DataSource dataSource;

  @Test
  void aFlushThatMeetsARunningOneWaitsForItsWrites() throws Exception {
    String app = createApp();
    String key = createChannel(app, "production");
    String base = registerBase(app, "android", "25", List.of());
    int devices = 40;
    for (int i = 0; i < devices; i++) {
      new TestDevice(key, "flush-device-" + i, "android", "25", base).checkin();
    }
    String countDevices = "select count(*) from device d join app a on a.id = d.app_id where a.name = ?1";
    assertThat(Database.count(countDevices, app)).isZero();

    // Another transaction holds the device table, so the first flush's writes wait on it.
    try (Connection blocker = dataSource.getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.execute("lock table device in exclusive mode");
      }
      CompletableFuture<Void> first = activity.flush().subscribeAsCompletionStage();
      CompletableFuture<Void> second = activity.flush().subscribeAsCompletionStage();
      // Not a timing assertion: while the writes are blocked, nothing may claim to be written.
      Thread.sleep(500);
      assertThat(second).isNotDone();
      assertThat(first).isNotDone();
      blocker.rollback();
      second.get(30, TimeUnit.SECONDS);
      assertThat(Database.count(countDevices, app)).isEqualTo(devices);
      first.get(30, TimeUnit.SECONDS);
    }
  }
}
