package dev.dala.ota.server.auth;

import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.ProblemMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every admin API request ({@code /api/...}) by its bearer token and checks the
 * method's {@link Allowed} role. Methods without it are refused: access is opt-in.
 */
public class AuthFilter {

  @Inject
  CallerContext callerContext;

  // Non-blocking, so that it runs on the event loop (where Hibernate Reactive must) even for
  // endpoints that then move to a worker thread.
  @ServerRequestFilter(nonBlocking = true)
  public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api/")) {
      return Uni.createFrom().nullItem();
    }
    String header = request.getHeaderString("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
    if (!TokenSecrets.looksLikeToken(token)) {
      return Uni.createFrom().item(denied(ErrorCode.UNAUTHENTICATED, "send Authorization: Bearer <token>", request));
    }
    byte[] hash = TokenSecrets.hash(token);
    return Panache.withSession(() -> ApiTokenEntity.<ApiTokenEntity>find("tokenHash", hash).firstResult())
        .map(found -> {
          // The lookup is by hash; compare again in constant time rather than trust the index alone.
          if (found == null || found.revokedAt != null || !MessageDigest.isEqual(found.tokenHash, hash)) {
            return denied(ErrorCode.UNAUTHENTICATED, "unknown or revoked token", request);
          }
          Role role = Role.parse(found.role);
          Allowed allowed = required(resource.getResourceMethod());
          if (allowed == null || role == null || !role.allows(allowed.value())) {
            return denied(ErrorCode.FORBIDDEN, "this needs the " + (allowed == null ? "(none)" : allowed.value().code())
                + " role", request);
          }
          callerContext.set(new Caller(found.organisationId, found.id, found.name, role));
          return null;
        });
  }

  private static Allowed required(Method method) {
    return method == null ? null : method.getAnnotation(Allowed.class);
  }

  private static Response denied(ErrorCode code, String detail, ContainerRequestContext request) {
    return ProblemMapper.problem(code, detail, List.of(), request.getUriInfo());
  }
}
