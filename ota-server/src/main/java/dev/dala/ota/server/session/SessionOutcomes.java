package dev.dala.ota.server.session;

import dev.dala.ota.server.device.DeviceEvent;
import dev.dala.ota.server.device.EventService;
import dev.dala.ota.server.common.SafeContexts;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Files what a delivery session learned: install events through the same rules as HTTP
 * reports (so failures can halt a rollout), and the session row's ending. A failure to file is
 * logged and does not hold the session up.
 */
@ApplicationScoped
public class SessionOutcomes {

  private static final Logger LOG = Logger.getLogger(SessionOutcomes.class);

  @Inject
  EventService events;

  @Inject
  SessionStore store;

  /** Records {@code kind} for the session's device and release; completes either way. */
  public Future<Void> event(Context context, StoredSession session, String kind, String reason, Long bytes) {
    DeviceEvent event = new DeviceEvent(session.channelKey(), session.installId(), session.sequence(), kind, reason,
        bytes);
    return run(context, () -> events.record(event).replaceWithVoid(),
        "could not record the " + kind + " event of session " + session.idHex());
  }

  /** Stores how the session ended; completes either way. */
  public Future<Void> finish(Context context, StoredSession session, SessionStore.Ending ending, int modules,
      long bytes, String reason) {
    return run(context, () -> store.finish(session.id(), ending, modules, bytes, reason),
        "could not store the end of session " + session.idHex());
  }

  private static Future<Void> run(Context context, Supplier<Uni<Void>> work, String failure) {
    return SafeContexts.run(context, work).recover(error -> {
      LOG.warnf("%s: %s", failure, error.getMessage());
      return Future.succeededFuture();
    });
  }
}
