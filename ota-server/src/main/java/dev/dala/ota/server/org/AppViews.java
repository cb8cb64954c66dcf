package dev.dala.ota.server.org;

import java.time.Instant;
import java.util.UUID;

/** The API's request and response bodies for apps and channels. */
public final class AppViews {

  private AppViews() {}

  public record CreateApp(String name) {}

  public record CreateChannel(String name) {}

  public record App(UUID id, String name, long lastSequence, Instant createdAt) {
    static App of(AppEntity e) {
      return new App(e.id, e.name, e.lastSequence, e.createdAt);
    }
  }

  public record Channel(UUID id, String name, String channelKey, Instant createdAt) {
    static Channel of(ChannelEntity e) {
      return new Channel(e.id, e.name, e.channelKey, e.createdAt);
    }
  }
}
