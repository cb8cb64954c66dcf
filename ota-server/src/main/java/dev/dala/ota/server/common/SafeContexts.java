package dev.dala.ota.server.common;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs reactive work that needs Quarkus's request-like context (Hibernate Reactive sessions) from
 * code that Quarkus did not start, such as the distribution endpoint's event loops: the work gets
 * a fresh duplicated context marked safe, and its result comes back on the caller's context.
 */
public final class SafeContexts {

  private SafeContexts() {}

  public static <T> Future<T> run(Context caller, Supplier<Uni<T>> work) {
    Promise<T> done = Promise.promise();
    Context duplicated = VertxContext.createNewDuplicatedContext(caller);
    VertxContextSafetyToggle.setContextSafe(duplicated, true);
    duplicated.runOnContext(v -> {
      Uni<T> uni;
      try {
        uni = work.get();
      } catch (RuntimeException e) {
        caller.runOnContext(x -> done.fail(e));
        return;
      }
      uni.subscribe().with(
          item -> caller.runOnContext(x -> done.complete(item)),
          error -> caller.runOnContext(x -> done.fail(error)));
    });
    return done.future();
  }
}
