package dev.dala.ota.server.checkin;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.keys.ServerKeys;
import dev.dala.ota.server.session.SessionIssuer;
import dev.dala.ota.server.session.SessionMessages;
import dev.dala.ota.signer.etf.ErlAtom;
import dev.dala.ota.signer.etf.ErlBinary;
import dev.dala.ota.signer.etf.ErlList;
import dev.dala.ota.signer.etf.ErlMap;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes and signs the answer to a check-in with the session key. The answer carries its issue
 * time and expiry against freeze attacks. An update answer is bound to the install id and
 * carries the delivery session's public half (docs/protocol.md); a "no
 * update" answer says nothing device-specific, so one signed copy per channel and reason is
 * reused for up to a second, which keeps signing off the hot path.
 */
@ApplicationScoped
public class CheckinResponder {

  /** A signed answer: the document and its encoded bytes. */
  public record Answer(SignedDocument document, byte[] bytes, Instant issuedAt, Instant expiresAt) {}

  private record Cached(Answer answer, long epochSecond) {}

  @Inject
  ServerKeys keys;

  @Inject
  OtaConfig config;

  private final ConcurrentHashMap<String, Cached> noUpdate = new ConcurrentHashMap<>();

  public Answer answer(ChannelSnapshot channel, CheckinRequest device, Decision decision) {
    return answer(channel, device, decision, null);
  }

  /** The answer; an update answer carries the delivery session when one was issued. */
  public Answer answer(ChannelSnapshot channel, CheckinRequest device, Decision decision,
      SessionIssuer.IssuedSession session) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (!decision.isUpdate()) {
      String key = channel.channelId() + ":" + decision.reason();
      Cached cached = noUpdate.get(key);
      if (cached != null && cached.epochSecond() == now.getEpochSecond()) {
        return cached.answer();
      }
      Answer answer = sign(channel, null, decision, null, now);
      noUpdate.put(key, new Cached(answer, now.getEpochSecond()));
      return answer;
    }
    return sign(channel, device, decision, session, now);
  }

  private Answer sign(ChannelSnapshot channel, CheckinRequest device, Decision decision,
      SessionIssuer.IssuedSession session, Instant now) {
    Instant expires = now.plus(config.checkin().responseValidity());
    ErlMap.Builder payload = ErlMap.builder()
        .put("format", 1)
        .put("issued_at", now.getEpochSecond())
        .put("expires_at", expires.getEpochSecond())
        .putUtf8("channel", channel.channelName())
        .put("decision", ErlAtom.of(decision.isUpdate() ? "update" : "none"));
    if (decision.isUpdate()) {
      ChannelSnapshot.Live live = decision.deployment();
      ReleaseSnapshot release = live.release();
      payload.putUtf8("install_id", device.installId());
      ErlMap.Builder update = ErlMap.builder()
          .put("sequence", release.sequence())
          .putUtf8("label", release.label())
          .put("manifest", release.envelope())
          .put("delta", ErlList.of(decision.delta().stream().map(n -> (dev.dala.ota.signer.etf.ErlTerm) ErlBinary.utf8(n))
              .toList()))
          .put("mandatory", ErlAtom.of(live.mandatory()))
          .put("apply_mode", ErlAtom.of(live.applyMode()))
          .putUtf8("bundle_url", Downloads.bundlePath(release.id()))
          .putUtf8("bundle_sha256", release.bundleSha256())
          .put("bundle_size", release.bundleSize())
          .putUtf8("modules_url", Downloads.MODULES_PATH);
      if (session != null) {
        update.put("session", ErlMap.builder()
            .put("protocol", SessionMessages.VERSION)
            .put("id", new ErlBinary(session.id()))
            .putUtf8("server_node", session.serverNode())
            .putUtf8("device_node", session.deviceNode())
            .put("server_key", new ErlBinary(session.serverKey()))
            .put("expires_at", session.expiresAt().getEpochSecond())
            .build());
      }
      payload.put("update", update.build());
    } else {
      payload.putUtf8("reason", decision.reason());
    }
    SignedDocument revocations = keys.revocations();
    if (revocations != null) {
      payload.put("revocations", revocations.encode());
    }
    SignedDocument document = keys.identity(Role.SESSION).sign(DocumentKind.CHECKIN_RESPONSE,
        EtfEncoder.encode(payload.build()));
    return new Answer(document, document.encode(), now, expires);
  }
}
