package dev.dala.ota.server.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The dist_session table, shared by every pod. Claiming is one conditional update, so exactly
 * one handshake anywhere can take a session, and the cookie is erased in the same statement.
 */
@ApplicationScoped
public class SessionStore {

  /** How a session ended, as stored. */
  public enum Ending {
    APPLIED,
    STAGED,
    FAILED,
    ABORTED;

    String state() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Inject
  Pool pool;

  public Uni<Void> insert(StoredSession s, Instant createdAt) {
    return pool.preparedQuery("insert into dist_session (id, device_node, app_id, channel_id, release_id, deployment_id,"
            + " install_id, sequence, cookie_ciphertext, state, created_at, expires_at)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11)")
        .execute(Tuple.tuple().addBuffer(bytes(s.id())).addString(s.deviceNode()).addUUID(s.appId()).addUUID(s.channelId())
            .addUUID(s.releaseId()).addUUID(s.deploymentId()).addString(s.installId()).addLong(s.sequence())
            .addBuffer(bytes(s.cookieCiphertext())).addOffsetDateTime(utc(createdAt)).addOffsetDateTime(utc(s.expiresAt())))
        .replaceWithVoid();
  }

  /** The open, unexpired session of this device node name. */
  public Uni<Optional<StoredSession>> findOpen(String deviceNode) {
    return pool.preparedQuery("select s.id, s.device_node, s.app_id, s.channel_id, c.channel_key, s.release_id,"
            + " s.deployment_id, s.install_id, s.sequence, s.expires_at, s.cookie_ciphertext"
            + " from dist_session s join channel c on c.id = s.channel_id"
            + " where s.device_node = $1 and s.state = 'open' and s.expires_at > now()")
        .execute(Tuple.of(deviceNode))
        .map(rows -> {
          var it = rows.iterator();
          return it.hasNext() ? Optional.of(read(it.next())) : Optional.empty();
        });
  }

  /** Takes the session for one connection; false when it was taken, ended or expired. */
  public Uni<Boolean> claim(byte[] id) {
    return pool.preparedQuery("update dist_session set state = 'connected', connected_at = now(),"
            + " cookie_ciphertext = null where id = $1 and state = 'open' and expires_at > now()")
        .execute(Tuple.tuple().addBuffer(bytes(id)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Records how a claimed session ended. */
  public Uni<Void> finish(byte[] id, Ending ending, int modules, long bytes, String reason) {
    return pool.preparedQuery("update dist_session set state = $2, finished_at = now(), modules_sent = $3,"
            + " bytes_sent = $4, reason = $5 where id = $1 and state = 'connected'")
        .execute(Tuple.tuple().addBuffer(bytes(id)).addString(ending.state()).addInteger(modules).addLong(bytes)
            .addString(reason))
        .replaceWithVoid();
  }

  /** Erases the cookies of sessions nobody claimed in time; returns how many. */
  public Uni<Integer> expireUnclaimed() {
    return pool.query("update dist_session set state = 'expired', cookie_ciphertext = null"
            + " where state = 'open' and expires_at <= now()")
        .execute().map(rows -> rows.rowCount());
  }

  /** Deletes ended sessions created before {@code before}; returns how many. */
  public Uni<Integer> purgeEnded(Instant before) {
    return pool.preparedQuery("delete from dist_session where created_at < $1 and state <> 'open'")
        .execute(Tuple.of(utc(before))).map(rows -> rows.rowCount());
  }

  private static StoredSession read(Row r) {
    return new StoredSession(r.getBuffer("id").getBytes(), r.getString("device_node"), r.getUUID("app_id"),
        r.getUUID("channel_id"), r.getString("channel_key"), r.getUUID("release_id"), r.getUUID("deployment_id"),
        r.getString("install_id"), r.getLong("sequence"), r.getOffsetDateTime("expires_at").toInstant(),
        r.getBuffer("cookie_ciphertext").getBytes());
  }

  private static Buffer bytes(byte[] value) {
    return Buffer.buffer(value);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
