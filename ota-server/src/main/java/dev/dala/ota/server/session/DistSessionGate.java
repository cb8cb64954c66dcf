package dev.dala.ota.server.session;

import dev.dala.ota.server.checkin.DecisionCache;
import dev.dala.ota.server.common.SafeContexts;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.dist.Admission;
import dev.dala.ota.server.dist.SessionGate;
import dev.dala.ota.server.dist.SessionHandler;
import dev.dala.ota.signer.session.SessionCookie;
import dev.dala.ota.signer.session.SessionIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint's view of the dist_session table. A name is looked up in this pod's short-lived
 * cache of sessions it issued, then in PostgreSQL, so a device may check in on one pod and
 * connect to another. Claiming always goes to PostgreSQL, where exactly one claim can win.
 */
@ApplicationScoped
public class DistSessionGate implements SessionGate {

  /**
   * Sessions this pod issued are remembered only this long; a miss just costs one query. A
   * session claimed on another pod inside this window gets status ok here, and loses at the
   * claim instead of being refused at once; single use holds either way.
   */
  static final java.time.Duration ISSUED_CACHE_TTL = java.time.Duration.ofSeconds(10);
  static final int ISSUED_CACHE_MAX = 100_000;

  private record Issued(StoredSession session, long until) {}

  @Inject
  SessionStore store;

  @Inject
  CookieVault vault;

  @Inject
  DecisionCache cache;

  @Inject
  ModuleBlobs blobs;

  @Inject
  SessionOutcomes outcomes;

  @Inject
  DistSessionMetrics metrics;

  @Inject
  OtaConfig config;

  private final ConcurrentHashMap<String, Issued> issued = new ConcurrentHashMap<>();

  /** Keeps a session this pod just issued, so its handshake needs no database read. */
  void remember(StoredSession session) {
    if (issued.size() < ISSUED_CACHE_MAX) {
      long until = Math.min(session.expiresAt().toEpochMilli(), System.currentTimeMillis() + ISSUED_CACHE_TTL.toMillis());
      issued.put(session.deviceNode(), new Issued(session, until));
    }
  }

  /** Forgets cached sessions past their time. */
  void forgetExpired() {
    long now = System.currentTimeMillis();
    issued.values().removeIf(i -> i.until() <= now);
  }

  @Override
  public Future<Admission> admit(String node, String remoteAddress) {
    if (SessionIds.fromDeviceNode(node).isEmpty()) {
      return Future.succeededFuture(Admission.refused());
    }
    Issued hit = issued.get(node);
    if (hit != null && hit.until() > System.currentTimeMillis()) {
      return Future.succeededFuture(admission(hit.session()));
    }
    return Future.fromCompletionStage(store.findOpen(node).subscribeAsCompletionStage())
        .map(found -> found.map(this::admission).orElse(Admission.refused()));
  }

  private Admission admission(StoredSession session) {
    if (session.expiresAt().isBefore(Instant.now())) {
      return Admission.refused();
    }
    try {
      SessionCookie cookie = vault.open(session.id(), session.cookieCiphertext());
      return Admission.of(cookie, session);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // A cookie sealed under another key (pods disagreeing on ota.dist.cookie-key) or altered.
      return Admission.refused();
    }
  }

  @Override
  public Future<SessionHandler> claim(Admission admission) {
    StoredSession session = (StoredSession) admission.session();
    Context context = Vertx.currentContext();
    return Future.fromCompletionStage(store.claim(session.id()).subscribeAsCompletionStage(), context)
        .compose(claimed -> {
          issued.remove(session.deviceNode());
          if (!claimed) {
            return Future.succeededFuture(null);
          }
          return SafeContexts.run(context, () -> cache.release(session.appId(), session.sequence()))
              .recover(error -> Future.succeededFuture(null))
              .compose(release -> {
                if (release == null) {
                  // The claim spent the session: record why it went no further.
                  return outcomes.finish(context, session, SessionStore.Ending.ABORTED, 0, 0, "release_unavailable")
                      .map(v -> (SessionHandler) null);
                }
                return Future.succeededFuture(
                    new DeliverySession(session, release, blobs, outcomes, metrics, config.dist()));
              });
        });
  }
}
