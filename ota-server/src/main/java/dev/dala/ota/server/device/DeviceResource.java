package dev.dala.ota.server.device;

import dev.dala.ota.server.auth.Allowed;
import dev.dala.ota.server.auth.CallerContext;
import dev.dala.ota.server.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;

/** An app's devices and install events, for people and dashboards. */
@Path("/api/v1/apps/{app}")
public class DeviceResource {

  @Inject
  DeviceService devices;

  @Inject
  CallerContext caller;

  @GET
  @Path("/devices")
  @Allowed(Role.VIEWER)
  public Uni<List<DeviceViews.Device>> list(@PathParam("app") String app, @QueryParam("channel") String channel,
      @QueryParam("tag") String tag, @QueryParam("after") String after,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    return devices.list(caller.get(), app, channel, tag, after, limit);
  }

  /** The body of a tag change. */
  public record Tags(List<String> tags) {}

  @PUT
  @Path("/devices/{installId}/tags")
  @Allowed(Role.PUBLISHER)
  public Uni<DeviceViews.Device> setTags(@PathParam("app") String app, @PathParam("installId") String installId,
      Tags body) {
    return devices.setTags(caller.get(), app, installId, dev.dala.ota.server.common.Validation.body(body).tags());
  }

  @GET
  @Path("/devices/{installId}")
  @Allowed(Role.VIEWER)
  public Uni<DeviceViews.DeviceDetail> get(@PathParam("app") String app, @PathParam("installId") String installId) {
    return devices.get(caller.get(), app, installId);
  }

  @GET
  @Path("/events")
  @Allowed(Role.VIEWER)
  public Uni<List<DeviceViews.Event>> events(@PathParam("app") String app, @QueryParam("deployment") UUID deployment,
      @QueryParam("kind") String kind, @QueryParam("before") Long before,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    return devices.events(caller.get(), app, deployment, kind, before, limit);
  }
}
