package dev.dala.ota.server.common;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs reactive database work from a blocking worker thread. Hibernate Reactive must run on an
 * event loop, on a context of its own, so each call subscribes on a fresh, safe, duplicated
 * event-loop context and blocks the worker until it completes.
 */
public final class ReactiveBridge {

  private ReactiveBridge() {}

  public static <T> T await(Supplier<Uni<T>> work) {
    Vertx vertx = Arc.container().instance(Vertx.class).get();
    Context root = VertxContext.getRootContext(vertx.getOrCreateContext());
    Context context = VertxContext.createNewDuplicatedContext(root);
    VertxContextSafetyToggle.setContextSafe(context, true);
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(ignored -> {
      try {
        work.get().subscribe().with(result::complete, result::completeExceptionally);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
