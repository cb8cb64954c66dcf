package dev.dala.ota.release.zip;

import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * The one timestamp every entry this tool writes carries. Zip stores local DOS time, and the
 * writer converts through the JVM's time zone, so the instant is computed in that zone to give
 * the same DOS fields, and the same bytes, on every machine.
 */
public final class FixedTime {

  /** 1981-01-01 01:01:02, the time Android's build tools give entries for reproducible APKs. */
  public static final LocalDateTime DOS_TIME = LocalDateTime.of(1981, 1, 1, 1, 1, 2);

  private FixedTime() {}

  public static long millis() {
    return DOS_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }
}
