package dev.dala.ota.server.org;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Apps and their channels, always within the caller's organisation. */
@ApplicationScoped
public class AppService {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  @WithSession
  public Uni<List<AppEntity>> list(Caller caller) {
    return AppEntity.list("organisationId = ?1 order by name", caller.organisationId());
  }

  /** The caller's app by name; another organisation's app is as absent as a missing one. */
  @WithSession
  public Uni<AppEntity> find(Caller caller, String name) {
    return AppEntity.<AppEntity>find("organisationId = ?1 and name = ?2", caller.organisationId(), name)
        .firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.APP_NOT_FOUND, "app " + name));
  }

  @WithTransaction
  public Uni<AppEntity> create(Caller caller, AppViews.CreateApp request) {
    new Validation().name(Validation.body(request).name(), "name").orThrow();
    return AppEntity.count("organisationId = ?1 and name = ?2", caller.organisationId(), request.name())
        .flatMap(count -> {
          if (count > 0) {
            throw new OtaException(ErrorCode.CONFLICT, "app " + request.name() + " already exists");
          }
          AppEntity app = new AppEntity();
          app.id = UUID.randomUUID();
          app.organisationId = caller.organisationId();
          app.name = request.name();
          app.createdAt = Instant.now();
          return app.<AppEntity>persist();
        })
        .call(app -> audit.record(caller.organisationId(), caller.actor(), "app.create", "app", app.id.toString(),
            null, AppViews.App.of(app)));
  }

  @WithSession
  public Uni<List<ChannelEntity>> channels(Caller caller, String appName) {
    return find(caller, appName).flatMap(app -> ChannelEntity.list("appId = ?1 order by name", app.id));
  }

  @WithSession
  public Uni<ChannelEntity> channel(Caller caller, String appName, String channelName) {
    return find(caller, appName).flatMap(app -> channelOf(app, channelName));
  }

  public static Uni<ChannelEntity> channelOf(AppEntity app, String channelName) {
    return ChannelEntity.<ChannelEntity>find("appId = ?1 and name = ?2", app.id, channelName).firstResult()
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.CHANNEL_NOT_FOUND, "channel " + channelName));
  }

  @WithTransaction
  public Uni<ChannelEntity> createChannel(Caller caller, String appName, AppViews.CreateChannel request) {
    new Validation().name(Validation.body(request).name(), "name").orThrow();
    return find(caller, appName).flatMap(app -> ChannelEntity.count("appId = ?1 and name = ?2", app.id, request.name())
        .flatMap(count -> {
          if (count > 0) {
            throw new OtaException(ErrorCode.CONFLICT, "channel " + request.name() + " already exists");
          }
          ChannelEntity channel = new ChannelEntity();
          channel.id = UUID.randomUUID();
          channel.appId = app.id;
          channel.name = request.name();
          channel.channelKey = newChannelKey();
          channel.createdAt = Instant.now();
          return channel.<ChannelEntity>persist();
        })
        .call(channel -> audit.record(caller.organisationId(), caller.actor(), "channel.create", "channel",
            channel.id.toString(), null, AppViews.Channel.of(channel)))
        .call(channel -> changes.appChanged(app.id)));
  }

  static String newChannelKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
