package dev.dala.ota.server.base;

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

/** Base releases of an app. */
@Path("/api/v1/apps/{app}/bases")
public class BaseResource {

  @Inject
  BaseService bases;

  @Inject
  CallerContext caller;

  @GET
  @Allowed(Role.VIEWER)
  public Uni<List<BaseViews.Base>> list(@PathParam("app") String app) {
    return bases.list(caller.get(), app).map(l -> l.stream().map(BaseViews.Base::of).toList());
  }

  @POST
  @Allowed(Role.PUBLISHER)
  public Uni<Response> register(@PathParam("app") String app, BaseViews.RegisterBase request) {
    return bases.register(caller.get(), app, request)
        .map(r -> Response.status(r.created() ? 201 : 200).entity(BaseViews.Base.of(r.base())).build());
  }
}
