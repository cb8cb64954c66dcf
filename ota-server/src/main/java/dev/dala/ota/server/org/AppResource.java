package dev.dala.ota.server.org;

import dev.dala.ota.server.auth.Allowed;
import dev.dala.ota.server.auth.CallerContext;
import dev.dala.ota.server.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Apps and channels of the caller's organisation. */
@Path("/api/v1/apps")
public class AppResource {

  @Inject
  AppService apps;

  @Inject
  CallerContext caller;

  @GET
  @Allowed(Role.VIEWER)
  public Uni<List<AppViews.App>> list() {
    return apps.list(caller.get()).map(l -> l.stream().map(AppViews.App::of).toList());
  }

  @POST
  @Allowed(Role.ADMIN)
  public Uni<Response> create(AppViews.CreateApp request) {
    return apps.create(caller.get(), request)
        .map(app -> Response.status(201).entity(AppViews.App.of(app)).build());
  }

  @GET
  @Path("/{app}")
  @Allowed(Role.VIEWER)
  public Uni<AppViews.App> get(@PathParam("app") String app) {
    return apps.find(caller.get(), app).map(AppViews.App::of);
  }

  @GET
  @Path("/{app}/channels")
  @Allowed(Role.VIEWER)
  public Uni<List<AppViews.Channel>> channels(@PathParam("app") String app) {
    return apps.channels(caller.get(), app).map(l -> l.stream().map(AppViews.Channel::of).toList());
  }

  @POST
  @Path("/{app}/channels")
  @Allowed(Role.ADMIN)
  public Uni<Response> createChannel(@PathParam("app") String app, AppViews.CreateChannel request) {
    return apps.createChannel(caller.get(), app, request)
        .map(channel -> Response.status(201).entity(AppViews.Channel.of(channel)).build());
  }
}
