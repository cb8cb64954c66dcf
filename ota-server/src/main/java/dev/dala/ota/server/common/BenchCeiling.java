package dev.dala.ota.server.common;

import dev.dala.ota.server.config.OtaConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The ceiling for the check-in benchmark: the same HTTP server answering a constant of the
 * size of a check-in answer, with no work behind it. Installed only when
 * {@code ota.bench.constant-endpoint} is set.
 */
@ApplicationScoped
public class BenchCeiling {

  private static final Buffer ANSWER = Buffer.buffer(new byte[1200]);

  @Inject
  OtaConfig config;

  void install(@Observes Router router) {
    if (!config.bench().constantEndpoint()) {
      return;
    }
    // Quarkus's body handler has read the body already; answer at once.
    router.post("/bench/constant").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/x-erlang-binary")
        .end(ANSWER));
  }
}
