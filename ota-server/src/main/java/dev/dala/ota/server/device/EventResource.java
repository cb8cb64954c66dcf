package dev.dala.ota.server.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dala.ota.server.checkin.CheckinCodec;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TermFields;
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

/** Devices report what happened to a release: ETF from agents, JSON from tools. 204 when recorded. */
@Path("/device/v1/events")
public class EventResource {

  private static final EtfLimits LIMITS = EtfLimits.DEFAULT.withMaxDepth(3).withMaxTerms(32).withMaxBinaryBytes(1024);

  @Inject
  EventService events;

  @Inject
  RateLimiter limits;

  @Inject
  ObjectMapper json;

  @POST
  @Consumes({CheckinCodec.ETF, MediaType.APPLICATION_JSON})
  public Uni<Response> report(byte[] body, @HeaderParam("Content-Type") String contentType,
      @Context HttpServerRequest http) {
    limits.checkAddress(http);
    DeviceEvent event = contentType != null && contentType.startsWith(CheckinCodec.ETF) ? fromEtf(body) : fromJson(body);
    limits.checkInstall(String.valueOf(event.installId()));
    return events.record(event).map(changed -> Response.noContent().build());
  }

  private DeviceEvent fromJson(byte[] body) {
    try {
      DeviceEvent event = json.readValue(body, DeviceEvent.class);
      if (event == null) {
        throw new OtaException(ErrorCode.MALFORMED_BODY, "an event body is required");
      }
      return event;
    } catch (IOException e) {
      throw new OtaException(ErrorCode.MALFORMED_BODY, "the event JSON cannot be read");
    }
  }

  private static DeviceEvent fromEtf(byte[] body) {
    try {
      TermFields f = TermFields.of(EtfDecoder.decode(body, LIMITS), "event");
      return new DeviceEvent(f.utf8("channel_key", 128), f.utf8("install_id", 128), f.nonNegative("sequence"),
          f.atom("kind"), f.has("reason") ? f.utf8("reason", DeviceEvent.MAX_REASON * 4) : null,
          f.has("bytes") ? f.nonNegative("bytes") : null);
    } catch (EtfException | TermFields.SchemaException e) {
      throw new OtaException(ErrorCode.MALFORMED_BODY, "not an event term: " + e.getMessage());
    }
  }
}
