package dev.dala.ota.server.auth;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** API tokens of the caller's organisation. */
@Path("/api/v1/tokens")
public class TokenResource {

  @Inject
  TokenService tokens;

  @Inject
  CallerContext caller;

  @GET
  @Allowed(Role.ADMIN)
  public Uni<List<TokenViews.Token>> list() {
    return tokens.list(caller.get()).map(l -> l.stream().map(TokenViews.Token::of).toList());
  }

  @POST
  @Allowed(Role.ADMIN)
  public Uni<Response> create(TokenViews.CreateToken request) {
    return tokens.create(caller.get(), request).map(t -> Response.status(201).entity(t).build());
  }

  @DELETE
  @Path("/{id}")
  @Allowed(Role.ADMIN)
  public Uni<TokenViews.Token> revoke(@PathParam("id") UUID id) {
    return tokens.revoke(caller.get(), id).map(TokenViews.Token::of);
  }
}
