package dev.dala.ota.server.release;

import dev.dala.ota.server.auth.Allowed;
import dev.dala.ota.server.auth.CallerContext;
import dev.dala.ota.server.auth.Role;
import dev.dala.ota.server.common.ReactiveBridge;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An app's releases: publish a draft bundle, list and read releases. */
@Path("/api/v1/apps/{app}/releases")
public class ReleaseResource {

  public static final String BUNDLE_TYPE = "application/vnd.dala-ota.bundle";

  @Inject
  PublishService publisher;

  @Inject
  ReleaseService releases;

  @Inject
  CallerContext caller;

  /** Publishes the bundle in the body (as {@code ota bundle build} writes it). 201 when new, 200 when already published. */
  @POST
  @Blocking
  @Consumes({BUNDLE_TYPE, "application/octet-stream"})
  @Allowed(Role.PUBLISHER)
  public Response publish(@PathParam("app") String app, byte[] body) {
    PublishService.Published published = publisher.publish(caller.get(), app, body == null ? new byte[0] : body);
    ReleaseViews.Release view = ReactiveBridge.await(() -> Panache.withSession(() ->
        ReleaseQueries.view(published.app(), published.release())));
    return Response.status(published.created() ? 201 : 200).entity(view).build();
  }

  @GET
  @Allowed(Role.VIEWER)
  public Uni<List<ReleaseViews.Summary>> list(@PathParam("app") String app, @QueryParam("before") Long before,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    return releases.list(caller.get(), app, before, limit);
  }

  @GET
  @Path("/{sequence}")
  @Allowed(Role.VIEWER)
  public Uni<ReleaseViews.Release> get(@PathParam("app") String app, @PathParam("sequence") long sequence) {
    return releases.get(caller.get(), app, sequence);
  }
}
