package dev.dala.ota.server.checkin;

import java.util.UUID;

/** Where devices fetch bundles and modules over HTTP, the fallback to distribution. */
public final class Downloads {

  public static final String MODULES_PATH = "/device/v1/modules/";

  private Downloads() {}

  public static String bundlePath(UUID releaseId) {
    return "/device/v1/releases/" + releaseId + "/bundle";
  }
}
