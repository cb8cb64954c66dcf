package dev.dala.ota.server.device;

import dev.dala.ota.server.common.Validation;
import java.util.regex.Pattern;

/** A device's report about a release: which install, which sequence, what happened and why. */
public record DeviceEvent(String channelKey, String installId, long sequence, String kind, String reason, Long bytes) {

  public static final int MAX_REASON = 512;
  private static final Pattern INSTALL_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

  public EventKind validatedKind() {
    EventKind k = EventKind.reportable(kind);
    new Validation()
        .require(channelKey != null && channelKey.startsWith("ck_") && channelKey.length() <= 128, "channel_key",
            "is not a channel key")
        .require(installId != null && INSTALL_ID.matcher(installId).matches(), "install_id", "is not an install id")
        .require(sequence >= 1, "sequence", "must be at least 1")
        .require(k != null, "kind", "must be downloaded, applied, confirmed, failed or rolled_back")
        .require(reason == null || reason.length() <= MAX_REASON, "reason", "must be at most " + MAX_REASON + " characters")
        .require(bytes == null || bytes >= 0, "bytes", "must not be negative")
        .orThrow();
    return k;
  }
}
