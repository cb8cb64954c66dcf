package dev.dala.ota.server.session;

import dev.dala.ota.server.checkin.ChannelSnapshot;
import dev.dala.ota.server.checkin.CheckinRequest;
import dev.dala.ota.server.checkin.Decision;
import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.signer.session.SessionCookie;
import dev.dala.ota.signer.session.SessionIds;
import dev.dala.ota.signer.session.SessionKeyPair;
import dev.dala.ota.signer.session.SessionTranscript;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Opens a delivery session for a check-in that offers an update: a fresh server X25519 key, a
 * session id and the device node name that carries it, and the cookie both sides derive. The
 * cookie goes to the database sealed; the answer carries only public values.
 */
@ApplicationScoped
public class SessionIssuer {

  /** What the check-in answer tells the device about its session. */
  public record IssuedSession(byte[] id, String deviceNode, String serverNode, byte[] serverKey, Instant expiresAt) {}

  @Inject
  OtaConfig config;

  @Inject
  CookieVault vault;

  @Inject
  SessionStore store;

  @Inject
  DistSessionGate gate;

  @Inject
  DistService dist;

  @Inject
  ModuleBlobs blobs;

  private final SecureRandom random = new SecureRandom();

  /** Whether this check-in can get a session: the endpoint runs and the device sent a key. */
  public boolean offers(CheckinRequest device) {
    return device.sessionKey() != null && dist.running();
  }

  public Uni<IssuedSession> issue(ChannelSnapshot channel, CheckinRequest device, Decision decision) {
    SessionKeyPair server = SessionKeyPair.generate(random);
    byte[] shared = server.sharedSecret(device.sessionKey()).orElse(null);
    if (shared == null) {
      // A low-order point: anyone could compute the "shared" secret, so no session for it.
      new Validation().require(false, "session_key", "is not a usable X25519 public key").orThrow();
    }
    byte[] id = SessionIds.generate(random);
    String deviceNode = SessionIds.deviceNode(id, config.dist().deviceHost());
    String serverNode = config.dist().nodeName();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = now.plus(config.dist().sessionTtl());
    SessionTranscript transcript = new SessionTranscript(device.installId(), device.sessionKey(), server.publicKey(),
        id, deviceNode, serverNode, expires.getEpochSecond());
    SessionCookie cookie = SessionCookie.derive(shared, transcript);
    java.util.Arrays.fill(shared, (byte) 0);
    ChannelSnapshot.Live live = decision.deployment();
    StoredSession session = new StoredSession(id, deviceNode, channel.appId(), channel.channelId(), device.channelKey(),
        live.release().id(), live.id(), device.installId(), live.release().sequence(), expires,
        vault.seal(id, cookie));
    // The device usually connects within a second: have its modules in memory by then.
    blobs.prefetch(live.release().moduleHashes().values(), live.release().bundleSize());
    return store.insert(session, now)
        .invoke(() -> gate.remember(session))
        .map(v -> new IssuedSession(id, deviceNode, serverNode, server.publicKey(), expires));
  }
}
