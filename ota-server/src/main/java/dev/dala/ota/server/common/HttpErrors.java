package dev.dala.ota.server.common;

import dev.dala.ota.server.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Problem+json for the errors Vert.x answers before a request reaches a resource: a body over
 * the size limit, mainly.
 */
@ApplicationScoped
public class HttpErrors {

  void install(@Observes Router router) {
    router.errorHandler(413, ctx -> ctx.response()
        .setStatusCode(413)
        .putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject()
            .put("type", ErrorCode.PAYLOAD_TOO_LARGE.code())
            .put("title", ErrorCode.PAYLOAD_TOO_LARGE.title())
            .put("status", 413)
            .put("detail", "the request body exceeds the server's limit")
            .put("instance", ctx.normalizedPath())
            .encode()));
  }

}
