package dev.dala.ota.server.session;

import dev.dala.ota.server.checkin.ReleaseSnapshot;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.dist.DistChannel;
import dev.dala.ota.server.dist.DistObserver.Closure;
import dev.dala.ota.server.dist.SessionHandler;
import dev.dala.ota.server.session.SessionMessages.AgentMessage;
import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlPid;
import dev.dala.ota.signer.etf.ErlTerm;
import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One delivery session, the server's side of docs/protocol.md: offer the signed manifest, take
 * the agent's module request, stream the modules in order (fetching a few ahead, and waiting
 * whenever the socket's queue is full), then wait for the result, file it, say goodbye and end.
 * Each step has its own deadline and the whole session one more; anything unexpected aborts.
 */
final class DeliverySession implements SessionHandler {

  private enum Step { OFFERED, SENDING, AWAIT_RESULT, DONE }

  private final StoredSession session;
  private final ReleaseSnapshot release;
  private final ModuleBlobs blobs;
  private final SessionOutcomes outcomes;
  private final DistSessionMetrics metrics;
  private final OtaConfig.Dist config;
  private final Map<String, String> namesBySha = new HashMap<>();
  private DistChannel channel;
  private Step step = Step.OFFERED;
  private long stepTimer = -1;
  private long sessionTimer = -1;
  private List<String> wanted = List.of();
  private AsyncResult<byte[]>[] ready;
  private int nextFetch;
  private int nextSend;
  private boolean waitingForDrain;
  private long moduleBytes;

  DeliverySession(StoredSession session, ReleaseSnapshot release, ModuleBlobs blobs, SessionOutcomes outcomes,
      DistSessionMetrics metrics, OtaConfig.Dist config) {
    this.session = session;
    this.release = release;
    this.blobs = blobs;
    this.outcomes = outcomes;
    this.metrics = metrics;
    this.config = config;
    release.moduleHashes().forEach((name, sha) -> namesBySha.put(sha, name));
  }

  @Override
  public void opened(DistChannel channel) {
    this.channel = channel;
    var vertx = channel.context().owner();
    sessionTimer = vertx.setTimer(config.sessionTimeout().toMillis(), id -> abort("session_timeout"));
    stepTimer = vertx.setTimer(config.wantTimeout().toMillis(), id -> abort("want_timeout"));
    channel.sendToRegistered(SessionMessages.AGENT_NAME, SessionMessages.offer(session.id(), channel.self(),
        release.sequence(), release.envelope(), release.moduleHashes().size(), session.expiresAt().getEpochSecond()));
  }

  @Override
  public void received(ErlPid from, ErlTerm message) {
    if (step == Step.DONE) {
      return;
    }
    AgentMessage read = SessionMessages.read(message, release.moduleHashes().size());
    switch (read) {
      case SessionMessages.Invalid invalid -> abort(invalid.why());
      case SessionMessages.Want want when !Arrays.equals(want.session(), session.id()) -> abort("wrong_session");
      case SessionMessages.Result result when !Arrays.equals(result.session(), session.id()) -> abort("wrong_session");
      case SessionMessages.Want want -> want(want);
      case SessionMessages.Result result -> result(result);
    }
  }

  private void want(SessionMessages.Want want) {
    if (step != Step.OFFERED) {
      abort("unexpected_message");
      return;
    }
    List<String> hashes = new ArrayList<>(want.modules().size());
    Set<String> seen = new HashSet<>();
    for (byte[] sha : want.modules()) {
      String hex = HexFormat.of().formatHex(sha);
      if (!namesBySha.containsKey(hex) || !seen.add(hex)) {
        abort("bad_module_request");
        return;
      }
      hashes.add(hex);
    }
    cancel(stepTimer);
    step = Step.SENDING;
    wanted = hashes;
    @SuppressWarnings("unchecked")
    AsyncResult<byte[]>[] slots = new AsyncResult[hashes.size()];
    ready = slots;
    fetchAhead();
    sendReady();
  }

  /** Starts reads until the window of modules in flight or waiting to be sent is full. */
  private void fetchAhead() {
    while (step == Step.SENDING && nextFetch < wanted.size()
        && nextFetch - nextSend < config.moduleFetchConcurrency()) {
      int index = nextFetch++;
      blobs.get(wanted.get(index)).onComplete(result -> channel.context().runOnContext(v -> {
        ready[index] = result;
        sendReady();
      }));
    }
  }

  /** Sends every module that is ready, in order, as long as the socket keeps up. */
  private void sendReady() {
    while (step == Step.SENDING && nextSend < wanted.size() && ready[nextSend] != null) {
      if (channel.writeQueueFull()) {
        if (!waitingForDrain) {
          waitingForDrain = true;
          channel.whenWritable(() -> {
            waitingForDrain = false;
            sendReady();
          });
        }
        return;
      }
      AsyncResult<byte[]> module = ready[nextSend];
      ready[nextSend] = null;
      if (module.failed()) {
        abort("module_unavailable");
        return;
      }
      String sha = wanted.get(nextSend);
      byte[] beam = module.result();
      channel.sendToRegistered(SessionMessages.AGENT_NAME,
          SessionMessages.module(session.id(), HexFormat.of().parseHex(sha), namesBySha.get(sha), beam));
      moduleBytes += beam.length;
      nextSend++;
      fetchAhead();
    }
    if (step == Step.SENDING && nextSend == wanted.size()) {
      allSent();
    }
  }

  private void allSent() {
    step = Step.AWAIT_RESULT;
    channel.sendToRegistered(SessionMessages.AGENT_NAME, SessionMessages.sent(session.id(), wanted.size(), moduleBytes));
    stepTimer = channel.context().owner().setTimer(config.resultTimeout().toMillis(), id -> abort("result_timeout"));
    metrics.modulesSent(wanted.size(), moduleBytes);
    outcomes.event(channel.context(), session, "downloaded", null, moduleBytes);
  }

  private void result(SessionMessages.Result result) {
    // An agent may fail before asking for modules (a manifest it will not accept), so a failure
    // is welcome right after the offer; success only once the modules have been sent.
    if (step == Step.SENDING || (step == Step.OFFERED && result.outcome() != SessionMessages.Outcome.FAILED)) {
      abort("unexpected_message");
      return;
    }
    step = Step.DONE;
    cancelTimers();
    SessionStore.Ending ending = switch (result.outcome()) {
      case APPLIED -> SessionStore.Ending.APPLIED;
      case STAGED -> SessionStore.Ending.STAGED;
      case FAILED -> SessionStore.Ending.FAILED;
    };
    metrics.finished(ending.state());
    var context = channel.context();
    var recorded = switch (result.outcome()) {
      case APPLIED -> outcomes.event(context, session, "applied", null, null);
      case FAILED -> outcomes.event(context, session, "failed", result.reason(), null);
      case STAGED -> io.vertx.core.Future.<Void>succeededFuture();
    };
    recorded
        .compose(v -> outcomes.finish(context, session, ending, nextSend, channel.bytesWritten(), result.reason()))
        .onComplete(v -> {
          channel.sendToRegistered(SessionMessages.AGENT_NAME, SessionMessages.bye(session.id(), ending.state()));
          channel.close(ErlAtom.of("normal"));
        });
  }

  private void abort(String reason) {
    if (step == Step.DONE) {
      return;
    }
    step = Step.DONE;
    cancelTimers();
    metrics.finished("aborted");
    metrics.aborted(reason);
    channel.sendToRegistered(SessionMessages.AGENT_NAME, SessionMessages.abort(session.id(), reason));
    outcomes.finish(channel.context(), session, SessionStore.Ending.ABORTED, nextSend, channel.bytesWritten(), reason);
    channel.close(ErlAtom.of(reason));
  }

  @Override
  public void exited(ErlPid from, ErlTerm reason) {
    abort("agent_exited");
  }

  @Override
  public void closed(Closure reason) {
    cancelTimers();
    if (step != Step.DONE) {
      step = Step.DONE;
      metrics.finished("aborted");
      metrics.aborted("connection_" + reason.code());
      // Without a channel the socket closed between the claim and the start: nothing was sent.
      io.vertx.core.Context context = channel != null ? channel.context() : io.vertx.core.Vertx.currentContext();
      outcomes.finish(context, session, SessionStore.Ending.ABORTED, nextSend,
          channel != null ? channel.bytesWritten() : 0, "connection_" + reason.code());
    }
  }

  private void cancelTimers() {
    cancel(stepTimer);
    cancel(sessionTimer);
    stepTimer = -1;
    sessionTimer = -1;
  }

  private void cancel(long timer) {
    if (timer >= 0 && channel != null) {
      channel.context().owner().cancelTimer(timer);
    }
  }
}
