package dev.dala.ota.server.support;

import dev.dala.ota.server.common.ReactiveBridge;
import io.quarkus.hibernate.reactive.panache.Panache;
import java.util.List;

/** Direct reads of the database, for tests that check what was or was not written. */
public final class Database {

  private Database() {}

  public static long count(String sql, Object... parameters) {
    return ReactiveBridge.await(() -> Panache.withSession(() -> Panache.getSession().flatMap(s -> {
      var query = s.createNativeQuery(sql, Long.class);
      for (int i = 0; i < parameters.length; i++) {
        query.setParameter(i + 1, parameters[i]);
      }
      return query.getSingleResult();
    })));
  }

  public static List<Object> column(String sql) {
    return ReactiveBridge.await(() -> Panache.withSession(() -> Panache.getSession().flatMap(s ->
        s.createNativeQuery(sql, Object.class).getResultList())));
  }

  public static void execute(String sql, Object... parameters) {
    ReactiveBridge.await(() -> Panache.withTransaction(() -> Panache.getSession().flatMap(s -> {
      var query = s.createNativeQuery(sql);
      for (int i = 0; i < parameters.length; i++) {
        query.setParameter(i + 1, parameters[i]);
      }
      return query.executeUpdate();
    })));
  }
}
