package dev.dala.ota.server.device;

import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppEntity;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.server.org.ChannelEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of an app's devices and install events. */
@ApplicationScoped
public class DeviceService {

  public static final int MAX_PAGE = 500;
  public static final int MAX_TAGS = 32;
  private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  @Inject
  AppService apps;

  @Inject
  dev.dala.ota.server.audit.AuditLog audit;

  @Inject
  dev.dala.ota.server.checkin.DeviceActivity activity;

  /** Replaces a device's tags (labels people use to find and group devices); audited. */
  @io.quarkus.hibernate.reactive.panache.common.WithTransaction
  public Uni<DeviceViews.Device> setTags(Caller caller, String appName, String installId, List<String> tags) {
    Validation v = new Validation().require(tags != null && tags.size() <= MAX_TAGS, "tags",
        "must be a list of at most " + MAX_TAGS);
    if (tags != null) {
      for (String tag : tags) {
        v.require(tag != null && TAG.matcher(tag).matches(), "tags", "'" + tag + "' is not 1-64 letters, digits, '.', '_', ':' or '-'");
      }
      v.require(new java.util.HashSet<>(tags).size() == tags.size(), "tags", "must not repeat a tag");
    }
    v.orThrow();
    List<String> sorted = tags.stream().sorted().toList();
    return apps.find(caller, appName).flatMap(app -> channelNames(app).flatMap(names -> activity
            .findFlushing(() -> DeviceEntity.byInstallId(app.id, installId))
            .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.DEVICE_NOT_FOUND, "device " + installId))
            .flatMap(d -> {
              List<String> before = List.of(d.tags == null ? new String[0] : d.tags);
              d.tags = sorted.toArray(String[]::new);
              return audit.record(app.organisationId, caller.actor(), "device.tags", "device", installId,
                      Map.of("tags", before), Map.of("tags", sorted))
                  .replaceWith(view(d, names));
            })));
  }

  /** Devices by install id, from {@code after} on; optionally of one channel, or with one tag. */
  @WithSession
  public Uni<List<DeviceViews.Device>> list(Caller caller, String appName, String channel, String tag, String after,
      int limit) {
    new Validation().require(limit >= 1 && limit <= MAX_PAGE, "limit", "must be 1.." + MAX_PAGE).orThrow();
    return apps.find(caller, appName).flatMap(app -> channelNames(app).flatMap(names -> {
      UUID channelId = channel == null ? null : names.entrySet().stream().filter(e -> e.getValue().equals(channel))
          .map(Map.Entry::getKey).findFirst().orElseThrow(() -> OtaException.notFound(ErrorCode.CHANNEL_NOT_FOUND,
              "channel " + channel));
      List<Object> params = new java.util.ArrayList<>(List.of(app.id, after == null ? "" : after));
      StringBuilder query = new StringBuilder("appId = ?1 and installId > ?2");
      if (channelId != null) {
        params.add(channelId);
        query.append(" and channelId = ?").append(params.size());
      }
      if (tag != null) {
        params.add(tag);
        query.append(" and array_contains(tags, ?").append(params.size()).append(")");
      }
      query.append(" order by installId");
      return DeviceEntity.<DeviceEntity>find(query.toString(), params.toArray()).page(0, limit).list()
          .map(devices -> devices.stream().map(d -> view(d, names)).toList());
    }));
  }

  @WithSession
  public Uni<DeviceViews.DeviceDetail> get(Caller caller, String appName, String installId) {
    return apps.find(caller, appName).flatMap(app -> channelNames(app).flatMap(names ->
        DeviceEntity.byInstallId(app.id, installId)
            .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.DEVICE_NOT_FOUND, "device " + installId))
            .flatMap(d -> InstallEventEntity.<InstallEventEntity>find("deviceId = ?1 order by id desc", d.id)
                .page(0, 100).list()
                .map(events -> new DeviceViews.DeviceDetail(view(d, names),
                    events.stream().map(e -> event(e, d.installId)).toList())))));
  }

  /** Events newest first, optionally of one deployment or one kind, before event id {@code before}. */
  @WithSession
  public Uni<List<DeviceViews.Event>> events(Caller caller, String appName, UUID deployment, String kind, Long before,
      int limit) {
    new Validation().require(limit >= 1 && limit <= MAX_PAGE, "limit", "must be 1.." + MAX_PAGE)
        .require(kind == null || EventKind.reportable(kind) != null || "offered".equals(kind), "kind", "is not an event kind")
        .orThrow();
    return apps.find(caller, appName).flatMap(app -> {
      StringBuilder q = new StringBuilder("select e, d.installId from InstallEventEntity e, DeviceEntity d"
          + " where e.deviceId = d.id and e.appId = ?1 and e.id < ?2");
      List<Object> params = new java.util.ArrayList<>(List.of(app.id, before == null ? Long.MAX_VALUE : before));
      if (deployment != null) {
        params.add(deployment);
        q.append(" and e.deploymentId = ?").append(params.size());
      }
      if (kind != null) {
        params.add(kind);
        q.append(" and e.kind = ?").append(params.size());
      }
      q.append(" order by e.id desc");
      return InstallEventEntity.find(q.toString(), params.toArray()).project(Object[].class).page(0, limit).list()
          .map(rows -> rows.stream().map(r -> event((InstallEventEntity) r[0], (String) r[1])).toList());
    });
  }

  private static Uni<Map<UUID, String>> channelNames(AppEntity app) {
    return ChannelEntity.<ChannelEntity>list("appId", app.id).map(channels -> {
      Map<UUID, String> names = new HashMap<>();
      channels.forEach(c -> names.put(c.id, c.name));
      return names;
    });
  }

  private static DeviceViews.Device view(DeviceEntity d, Map<UUID, String> channels) {
    return new DeviceViews.Device(d.installId, channels.get(d.channelId), d.platform, d.baseFingerprint, d.otpRelease,
        d.currentSequence, d.agentVersion, List.of(d.tags == null ? new String[0] : d.tags), d.firstSeen, d.lastSeen);
  }

  private static DeviceViews.Event event(InstallEventEntity e, String installId) {
    return new DeviceViews.Event(e.id, installId, e.releaseId, e.deploymentId, e.wave, e.kind, e.reason, e.bytes,
        e.createdAt);
  }
}
