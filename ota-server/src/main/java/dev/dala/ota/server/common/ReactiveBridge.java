package dev.dala.ota.server.common;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs reactive database work from a blocking worker thread. Hibernate Reactive must run on an
 * event loop, on a context of its own, so each call subscribes on a fresh, safe, duplicated
 * event-loop context and blocks the worker until it completes.
 */
public final class ReactiveBridge {

  static final java.time.Duration MAX_WAIT = java.time.Duration.ofMinutes(2);

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
      // Every awaited step is a database round trip; a Uni that never completes would otherwise
      // hold a worker thread forever.
      return result.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new OtaException(ErrorCode.INTERNAL, "a database step did not complete within " + MAX_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OtaException(ErrorCode.INTERNAL, "interrupted while waiting for the database");
    }
  }
}
