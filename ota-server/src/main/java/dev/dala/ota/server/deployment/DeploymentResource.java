package dev.dala.ota.server.deployment;

import dev.dala.ota.server.auth.Allowed;
import dev.dala.ota.server.auth.CallerContext;
import dev.dala.ota.server.auth.Role;
import dev.dala.ota.server.checkin.DecisionCache;
import dev.dala.ota.server.common.ReactiveBridge;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** Deployments of an app: create, read, change, pause, resume, advance, promote, roll back. */
@Path("/api/v1/apps/{app}")
public class DeploymentResource {

  @Inject
  DeploymentService deployments;

  @Inject
  RollbackService rollbacks;

  @Inject
  DecisionCache cache;

  @Inject
  CallerContext caller;

  @POST
  @Path("/deployments")
  @Allowed(Role.PUBLISHER)
  public Uni<Response> create(@PathParam("app") String app, DeploymentViews.CreateDeployment request) {
    return created(deployments.create(caller.get(), app, request));
  }

  @GET
  @Path("/deployments")
  @Allowed(Role.VIEWER)
  public Uni<List<DeploymentViews.Deployment>> list(@PathParam("app") String app) {
    return deployments.list(caller.get(), app).flatMap(list -> Panache.withSession(() -> {
      Uni<List<DeploymentViews.Deployment>> all = Uni.createFrom().item(new java.util.ArrayList<>());
      for (DeploymentEntity d : list) {
        all = all.flatMap(views -> DeploymentQueries.view(d, false).map(v -> {
          views.add(v);
          return views;
        }));
      }
      return all;
    }));
  }

  @GET
  @Path("/deployments/{id}")
  @Allowed(Role.VIEWER)
  public Uni<DeploymentViews.Deployment> get(@PathParam("app") String app, @PathParam("id") UUID id) {
    return deployments.get(caller.get(), app, id).flatMap(d -> Panache.withSession(() -> DeploymentQueries.view(d, true)));
  }

  @PATCH
  @Path("/deployments/{id}")
  @Allowed(Role.PUBLISHER)
  public Uni<DeploymentViews.Deployment> update(@PathParam("app") String app, @PathParam("id") UUID id,
      DeploymentViews.UpdateDeployment request) {
    return changed(deployments.update(caller.get(), app, id, request));
  }

  @POST
  @Path("/deployments/{id}/pause")
  @Allowed(Role.PUBLISHER)
  public Uni<DeploymentViews.Deployment> pause(@PathParam("app") String app, @PathParam("id") UUID id) {
    return changed(deployments.pause(caller.get(), app, id));
  }

  @POST
  @Path("/deployments/{id}/resume")
  @Allowed(Role.PUBLISHER)
  public Uni<DeploymentViews.Deployment> resume(@PathParam("app") String app, @PathParam("id") UUID id) {
    return changed(deployments.resume(caller.get(), app, id));
  }

  @POST
  @Path("/deployments/{id}/advance")
  @Allowed(Role.PUBLISHER)
  public Uni<DeploymentViews.Deployment> advance(@PathParam("app") String app, @PathParam("id") UUID id) {
    return changed(deployments.advance(caller.get(), app, id));
  }

  @POST
  @Path("/channels/{channel}/promote")
  @Allowed(Role.PUBLISHER)
  public Uni<Response> promote(@PathParam("app") String app, @PathParam("channel") String channel,
      DeploymentViews.Promote request) {
    return created(deployments.promote(caller.get(), app, channel, request));
  }

  @POST
  @Path("/channels/{channel}/rollback")
  @Blocking
  @Allowed(Role.PUBLISHER)
  public Response rollback(@PathParam("app") String app, @PathParam("channel") String channel,
      DeploymentViews.Rollback request) {
    DeploymentEntity d = rollbacks.rollback(caller.get(), app, channel, request);
    cache.invalidateApp(d.appId);
    DeploymentViews.Deployment view = ReactiveBridge.await(() -> Panache.withSession(() -> DeploymentQueries.view(d, false)));
    return Response.status(201).entity(view).build();
  }

  private Uni<Response> created(Uni<DeploymentEntity> deployment) {
    return changed(deployment).map(v -> Response.status(201).entity(v).build());
  }

  private Uni<DeploymentViews.Deployment> changed(Uni<DeploymentEntity> deployment) {
    return deployment.invoke(d -> cache.invalidateApp(d.appId))
        .flatMap(d -> Panache.withSession(() -> DeploymentQueries.view(d, false)));
  }
}
