package dev.dala.ota.server.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.CompositeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into RFC 9457 {@code application/problem+json}. Callers never see a Java
 * class name or a stack trace; unexpected failures are logged under an id the caller is given.
 */
public final class ProblemMapper {

  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response map(Throwable failure, UriInfo uri) {
    Throwable cause = unwrap(failure);
    if (cause instanceof OtaException e) {
      return problem(e.code(), e.getMessage(), e.details(), uri);
    }
    if (cause instanceof WebApplicationException e) {
      return fromStatus(e.getResponse().getStatus(), uri);
    }
    if (cause instanceof JsonProcessingException || cause instanceof IllegalArgumentException
        && cause.getCause() instanceof JsonProcessingException) {
      return problem(ErrorCode.MALFORMED_BODY, "the JSON body cannot be read", List.of(), uri);
    }
    String incident = UUID.randomUUID().toString();
    LOG.errorf(cause, "unexpected failure %s on %s", incident, uri == null ? "?" : uri.getPath());
    return problem(ErrorCode.INTERNAL, "incident " + incident, List.of(), uri);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (true) {
      if (t instanceof CompositeException c && !c.getCauses().isEmpty()) {
        t = c.getCauses().get(0);
      } else if ((t instanceof java.util.concurrent.CompletionException
          || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
        t = t.getCause();
      } else {
        return t;
      }
    }
  }

  private static Response fromStatus(int status, UriInfo uri) {
    ErrorCode code = switch (status) {
      case 401 -> ErrorCode.UNAUTHENTICATED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCode.NOT_ACCEPTABLE;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 400 -> ErrorCode.MALFORMED_BODY;
      default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED;
    };
    return problem(code, code.title(), List.of(), uri);
  }

  public static Response problem(ErrorCode code, String detail, List<OtaException.Detail> details, UriInfo uri) {
    return Response.status(code.status()).type(PROBLEM_JSON)
        .entity(body(code, detail, details, uri == null ? null : uri.getPath())).build();
  }

  /**
   * The problem document itself, for the few answers written outside JAX-RS (the body-size
   * gate); {@code instance} is left out when null.
   */
  public static Map<String, Object> body(ErrorCode code, String detail, List<OtaException.Detail> details,
      String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", code.code());
    body.put("title", code.title());
    body.put("status", code.status());
    body.put("detail", detail);
    if (instance != null) {
      body.put("instance", instance);
    }
    if (!details.isEmpty()) {
      body.put("errors", details.stream().map(d -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", d.code());
        if (d.subject() != null) {
          e.put("subject", d.subject());
        }
        e.put("detail", d.detail());
        return e;
      }).toList());
    }
    return body;
  }
}
