package dev.dala.ota.server.checkin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dala.ota.server.device.RateLimiter;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.session.SessionIssuer;
import dev.dala.ota.server.session.SessionMessages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device check-in. Agents send and receive ETF ({@code application/x-erlang-binary}); tools
 * may send JSON and get JSON with the same signed answer inside. Device requests carry no token:
 * the channel key names the app and channel, and limits per install id and address apply.
 */
@Path("/device/v1/checkin")
public class CheckinResource {

  @Inject
  DecisionCache cache;

  @Inject
  CheckinResponder responder;

  @Inject
  DeviceActivity activity;

  @Inject
  RateLimiter limits;

  @Inject
  ObjectMapper json;

  @Inject
  SessionIssuer sessions;

  @Inject
  dev.dala.ota.server.common.OtaMetrics metrics;

  @POST
  @Consumes({CheckinCodec.ETF, MediaType.APPLICATION_JSON})
  public Uni<Response> checkin(byte[] body, @HeaderParam("Content-Type") String contentType,
      @Context HttpServerRequest http) {
    limits.checkAddress(http);
    boolean etf = contentType != null && contentType.startsWith(CheckinCodec.ETF);
    CheckinRequest request = (etf ? CheckinCodec.fromEtf(body) : fromJson(body)).validated();
    limits.checkInstall(request.installId());
    return cache.channel(request.channelKey()).flatMap(channel -> {
      if (channel == null) {
        throw new OtaException(ErrorCode.CHANNEL_NOT_FOUND, "no channel has this channel key");
      }
      return cache.release(channel.appId(), request.currentSequence()).flatMap(current -> {
        Decision decision = CheckinDecider.decide(channel, request, current);
        Uni<SessionIssuer.IssuedSession> session = decision.isUpdate() && sessions.offers(request)
            ? sessions.issue(channel, request, decision) : Uni.createFrom().nullItem();
        return session.map(issued -> {
          CheckinResponder.Answer answer = responder.answer(channel, request, decision, issued);
          activity.record(channel, request, decision);
          metrics.checkin(decision.isUpdate() ? "update" : decision.reason());
          return etf ? Response.ok(answer.bytes(), CheckinCodec.ETF).build()
              : Response.ok(jsonAnswer(decision, answer, issued), MediaType.APPLICATION_JSON).build();
        });
      });
    });
  }

  private CheckinRequest fromJson(byte[] body) {
    try {
      CheckinRequest request = json.readValue(body, CheckinRequest.class);
      if (request == null) {
        throw new OtaException(ErrorCode.MALFORMED_BODY, "a check-in body is required");
      }
      return request;
    } catch (IOException e) {
      throw new OtaException(ErrorCode.MALFORMED_BODY, "the check-in JSON cannot be read");
    }
  }

  private static Map<String, Object> jsonAnswer(Decision decision, CheckinResponder.Answer answer,
      SessionIssuer.IssuedSession session) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("decision", decision.isUpdate() ? "update" : "none");
    out.put("reason", decision.reason());
    out.put("issued_at", answer.issuedAt().toString());
    out.put("expires_at", answer.expiresAt().toString());
    if (decision.isUpdate()) {
      ReleaseSnapshot release = decision.deployment().release();
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("sequence", release.sequence());
      update.put("label", release.label());
      update.put("delta", decision.delta());
      update.put("mandatory", decision.deployment().mandatory());
      update.put("apply_mode", decision.deployment().applyMode());
      update.put("wave", decision.wave());
      update.put("bundle_url", Downloads.bundlePath(release.id()));
      update.put("bundle_sha256", release.bundleSha256());
      update.put("bundle_size", release.bundleSize());
      update.put("modules_url", Downloads.MODULES_PATH);
      if (session != null) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("protocol", SessionMessages.VERSION);
        s.put("id", HexFormat.of().formatHex(session.id()));
        s.put("server_node", session.serverNode());
        s.put("device_node", session.deviceNode());
        s.put("server_key", Base64.getEncoder().encodeToString(session.serverKey()));
        s.put("expires_at", session.expiresAt().toString());
        update.put("session", s);
      }
      out.put("update", update);
    }
    out.put("signed_response", Base64.getEncoder().encodeToString(answer.bytes()));
    return out;
  }
}
