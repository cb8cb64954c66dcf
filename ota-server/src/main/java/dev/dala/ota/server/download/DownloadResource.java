package dev.dala.ota.server.download;

import dev.dala.ota.server.checkin.ChannelSnapshot;
import dev.dala.ota.server.checkin.DecisionCache;
import dev.dala.ota.server.common.ReactiveBridge;
import dev.dala.ota.server.device.RateLimiter;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.release.ModuleBlobEntity;
import dev.dala.ota.server.release.ReleaseEntity;
import dev.dala.ota.server.storage.ObjectStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The HTTP fallback to distribution: a release's signed bundle and single modules, with
 * {@code ETag} (the content's SHA-256) and {@code Range} for resumed downloads. A device names
 * its channel key, and gets only what has been deployed on that channel.
 */
@Path("/device/v1")
public class DownloadResource {

  public static final String CHANNEL_KEY_HEADER = "X-Dala-Channel-Key";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  @Inject
  DecisionCache cache;

  @Inject
  ObjectStore store;

  @Inject
  RateLimiter limits;

  @GET
  @Path("/releases/{release}/bundle")
  @Blocking
  public Response bundle(@PathParam("release") UUID releaseId, @HeaderParam(CHANNEL_KEY_HEADER) String channelKey,
      @HeaderParam("Range") String range, @HeaderParam("If-None-Match") String ifNoneMatch,
      @Context HttpServerRequest http) {
    ChannelSnapshot channel = channel(channelKey, http);
    ReleaseEntity release = ReactiveBridge.await(() -> Panache.withSession(() -> ReleaseEntity.<ReleaseEntity>find(
        "select r from ReleaseEntity r where r.id = ?1 and r.appId = ?2 and exists (select d from DeploymentEntity d"
            + " where d.releaseId = r.id and d.channelId = ?3)", releaseId, channel.appId(), channel.channelId())
        .firstResult()));
    if (release == null) {
      throw OtaException.notFound(ErrorCode.RELEASE_NOT_FOUND, "release " + releaseId + " on this channel");
    }
    return serve(release.bundleKey, release.bundleSha256, release.bundleSize, "application/vnd.dala-ota.bundle",
        range, ifNoneMatch);
  }

  @GET
  @Path("/modules/{sha256}")
  @Blocking
  public Response module(@PathParam("sha256") String sha256, @HeaderParam(CHANNEL_KEY_HEADER) String channelKey,
      @HeaderParam("Range") String range, @HeaderParam("If-None-Match") String ifNoneMatch,
      @Context HttpServerRequest http) {
    ChannelSnapshot channel = channel(channelKey, http);
    if (!SHA256.matcher(sha256).matches()) {
      throw OtaException.notFound(ErrorCode.NOT_FOUND, "module " + sha256);
    }
    ModuleBlobEntity blob = ReactiveBridge.await(() -> Panache.withSession(() -> ModuleBlobEntity.<ModuleBlobEntity>find(
        "select b from ModuleBlobEntity b where b.sha256 = ?1 and exists (select m from ReleaseModuleEntity m,"
            + " DeploymentEntity d where m.sha256 = b.sha256 and d.releaseId = m.releaseId and d.channelId = ?2)",
        sha256, channel.channelId()).firstResult()));
    if (blob == null) {
      throw OtaException.notFound(ErrorCode.NOT_FOUND, "module " + sha256 + " on this channel");
    }
    return serve(blob.storageKey, blob.sha256, blob.size, "application/octet-stream", range, ifNoneMatch);
  }

  private ChannelSnapshot channel(String channelKey, HttpServerRequest http) {
    limits.checkAddress(http);
    if (channelKey == null || !channelKey.startsWith("ck_") || channelKey.length() > 128) {
      throw new OtaException(ErrorCode.UNAUTHENTICATED, "send the channel key in " + CHANNEL_KEY_HEADER);
    }
    ChannelSnapshot channel = ReactiveBridge.await(() -> cache.channel(channelKey));
    if (channel == null) {
      throw new OtaException(ErrorCode.CHANNEL_NOT_FOUND, "no channel has this channel key");
    }
    return channel;
  }

  private Response serve(String key, String sha256, long size, String type, String rangeHeader, String ifNoneMatch) {
    String etag = "\"" + sha256 + "\"";
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
      return Response.notModified().tag(new jakarta.ws.rs.core.EntityTag(sha256)).build();
    }
    ByteRange range;
    try {
      range = ByteRange.parse(rangeHeader, size);
    } catch (ByteRange.Unsatisfiable e) {
      Response problem = dev.dala.ota.server.error.ProblemMapper.problem(ErrorCode.RANGE_NOT_SATISFIABLE,
          "the content has " + size + " bytes", java.util.List.of(), null);
      return Response.fromResponse(problem).header("Content-Range", "bytes */" + size).build();
    }
    long offset = range == null ? 0 : range.start();
    long length = range == null ? size : range.length();
    StreamingOutput body = out -> {
      try (InputStream in = store.open(key, offset, length)) {
        in.transferTo(out);
      }
    };
    Response.ResponseBuilder response = Response.status(range == null ? 200 : 206).entity(body).type(type)
        .header("ETag", etag).header("Accept-Ranges", "bytes").header("Content-Length", length)
        .header("Cache-Control", "private, max-age=31536000, immutable");
    if (range != null) {
      response.header("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
    }
    return response.build();
  }
}
