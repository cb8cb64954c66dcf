package dev.dala.ota.server.common;

import dev.dala.ota.server.checkin.DeviceActivity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own metrics, next to Quarkus's HTTP and pool metrics at /q/metrics: check-in
 * decisions by outcome, device events by kind, automatic halts and advances, and device updates
 * dropped under load. Counters are made once, so counting costs no lookup on the hot path.
 */
@ApplicationScoped
public class OtaMetrics {

  private static final List<String> OUTCOMES = List.of("update", "no_deployment", "deployment_paused", "deployment_halted",
      "up_to_date", "incompatible_base", "agent_too_old", "not_in_rollout");
  private static final List<String> EVENTS = List.of("downloaded", "applied", "confirmed", "failed", "rolled_back");

  @Inject
  MeterRegistry registry;

  @Inject
  DeviceActivity activity;

  private final Map<String, Counter> checkins = new ConcurrentHashMap<>();
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private Counter halts;
  private Counter advances;

  void onStart(@Observes StartupEvent event) {
    for (String outcome : OUTCOMES) {
      checkins.put(outcome, Counter.builder("ota.checkins").tag("outcome", outcome)
          .description("Check-ins answered, by decision").register(registry));
    }
    for (String kind : EVENTS) {
      events.put(kind, Counter.builder("ota.device.events").tag("kind", kind)
          .description("Events devices reported, by kind").register(registry));
    }
    halts = Counter.builder("ota.deployments.halted").description("Deployments halted by their failure threshold")
        .register(registry);
    advances = Counter.builder("ota.deployments.advanced").description("Waves advanced by confirmations")
        .register(registry);
    Gauge.builder("ota.device.updates.dropped", activity, DeviceActivity::dropped)
        .description("Device updates dropped because the write buffer was full").register(registry);
  }

  public void checkin(String outcome) {
    Counter c = checkins.get(outcome);
    if (c != null) {
      c.increment();
    }
  }

  public void event(String kind) {
    Counter c = events.get(kind);
    if (c != null) {
      c.increment();
    }
  }

  public void halted() {
    halts.increment();
  }

  public void advanced() {
    advances.increment();
  }
}
