package dev.dala.ota.server.common;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.ProblemMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Gates request bodies by size before anything reads them, with each endpoint's own limit:
 * a declared length over the limit gets a problem+json 413 and the body is never read; within
 * the limit, a client that sent {@code Expect: 100-continue} is told to go on. Quarkus's
 * {@code max-body-size} stays as the ceiling for bodies sent without a length.
 */
@ApplicationScoped
public class BodySizeGate {

  /** The largest JSON body the admin API reads. */
  public static final long MAX_JSON_BYTES = 1 << 20;

  @Inject
  OtaConfig config;

  void install(@Observes Router router) {
    router.route().order(-1000).handler(this::gate);
    router.errorHandler(413, ctx -> tooLarge(ctx, "the request body exceeds the server's limit"));
  }

  private void gate(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      ctx.next();
      return;
    }
    long limit = limitFor(ctx.normalizedPath());
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = Long.MAX_VALUE;
      }
      if (declared > limit) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        tooLarge(ctx, "the body of " + declared + " bytes exceeds this endpoint's limit of " + limit + " bytes");
        return;
      }
    }
    if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    ctx.next();
  }

  private long limitFor(String path) {
    if (path.startsWith("/api/v1/apps/") && path.endsWith("/releases")) {
      return config.publish().maxBundleBytes();
    }
    if (path.startsWith("/device/v1/checkin")) {
      return config.checkin().maxBodyBytes();
    }
    if (path.startsWith("/device/")) {
      return config.device().maxEventBytes();
    }
    return MAX_JSON_BYTES;
  }

  private static void tooLarge(RoutingContext ctx, String detail) {
    ErrorCode code = ErrorCode.PAYLOAD_TOO_LARGE;
    ctx.response()
        .setStatusCode(code.status())
        .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
        .end(new JsonObject(ProblemMapper.body(code, detail, List.of(), ctx.normalizedPath())).encode());
  }
}
