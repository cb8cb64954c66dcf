package dev.dala.ota.server.device;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-minute request limits for the anonymous device API, per install id and per remote
 * address, counted in fixed one-minute windows in each pod's memory. Install ids, of which a
 * fleet has millions, are counted in a fixed-size primitive table; addresses, of which there are
 * few behind carrier NAT and load balancers, in a map swept as minutes turn.
 */
@ApplicationScoped
public class RateLimiter {

  private record Window(long minute, AtomicInteger count) {}

  @Inject
  OtaConfig config;

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private volatile long sweptMinute;

  /** Counts a request against its remote address; requests whose address is unknown share one count. */
  public void checkAddress(HttpServerRequest request) {
    String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    check("a:" + address, config.device().requestsPerMinutePerAddress(), "address");
  }

  private final MinuteCounts installs = new MinuteCounts();

  public void checkInstall(String installId) {
    int limit = config.device().requestsPerMinutePerInstall();
    if (installs.increment(MinuteCounts.hash(installId), System.currentTimeMillis() / 60_000) > limit) {
      throw new OtaException(ErrorCode.RATE_LIMITED, "more than " + limit + " requests a minute from this install id");
    }
  }

  private void check(String key, int limit, String what) {
    long minute = System.currentTimeMillis() / 60_000;
    if (minute != sweptMinute) {
      sweptMinute = minute;
      windows.values().removeIf(w -> w.minute() < minute);
    }
    Window window = windows.compute(key, (k, w) -> w == null || w.minute() != minute ? new Window(minute, new AtomicInteger()) : w);
    if (window.count().incrementAndGet() > limit) {
      throw new OtaException(ErrorCode.RATE_LIMITED, "more than " + limit + " requests a minute from this " + what);
    }
  }
}
