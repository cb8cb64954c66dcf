package dev.dala.ota.server.session;

import dev.dala.ota.server.dist.DistObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the distribution endpoint and its sessions, at /q/metrics: EPMD requests, refused
 * connections, dropped messages and closed connections, each by reason, so that every bad-peer
 * case has its own series; sessions by outcome, aborts by reason, and modules and bytes sent.
 */
@ApplicationScoped
public class DistSessionMetrics implements DistObserver {

  @Inject
  MeterRegistry registry;

  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  private Counter counter(String name, String tag, String value, String description) {
    return counters.computeIfAbsent(name + "|" + value,
        k -> Counter.builder(name).tag(tag, value).description(description).register(registry));
  }

  @Override
  public void epmd(EpmdRequest request) {
    counter("ota.dist.epmd.requests", "request", request.code(), "EPMD requests, by kind").increment();
  }

  @Override
  public void refused(Refusal reason) {
    counter("ota.dist.refused", "reason", reason.code(), "Distribution connections refused, by reason").increment();
  }

  @Override
  public void connected() {
    counter("ota.dist.handshakes", "result", "completed", "Distribution handshakes completed").increment();
  }

  @Override
  public void closed(Closure reason) {
    counter("ota.dist.closed", "reason", reason.code(), "Established connections closed, by reason").increment();
  }

  @Override
  public void dropped(Drop reason) {
    counter("ota.dist.dropped", "reason", reason.code(), "Incoming messages dropped, by reason").increment();
  }

  void finished(String outcome) {
    counter("ota.dist.sessions", "outcome", outcome, "Delivery sessions ended, by outcome").increment();
  }

  void aborted(String reason) {
    counter("ota.dist.sessions.aborted", "reason", reason, "Delivery sessions aborted, by reason").increment();
  }

  void modulesSent(int modules, long bytes) {
    counter("ota.dist.modules.sent", "unit", "modules", "Modules sent over distribution").increment(modules);
    counter("ota.dist.module.bytes.sent", "unit", "bytes", "Module bytes sent over distribution").increment(bytes);
  }
}
