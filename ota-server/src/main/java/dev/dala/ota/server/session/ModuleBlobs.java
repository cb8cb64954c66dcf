package dev.dala.ota.server.session;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.release.ModuleBlobEntity;
import dev.dala.ota.server.storage.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Module bytes for delivery sessions. A rollout sends the same modules to many devices, so
 * recently sent modules stay in memory up to {@code ota.dist.module-cache-bytes}; concurrent
 * sessions needing the same module share one read. Bytes read from object storage are checked
 * against their SHA-256 before anything is sent, so a damaged object never reaches a device.
 */
@ApplicationScoped
public class ModuleBlobs {

  @Inject
  ObjectStore store;

  @Inject
  Vertx vertx;

  @Inject
  OtaConfig config;

  private final LinkedHashMap<String, byte[]> cache = new LinkedHashMap<>(256, 0.75f, true);
  private final ConcurrentHashMap<String, Future<byte[]>> loading = new ConcurrentHashMap<>();
  private long cachedBytes;

  /** The module whose SHA-256 is {@code sha256Hex}, from memory or object storage. */
  public Future<byte[]> get(String sha256Hex) {
    byte[] hit = cached(sha256Hex);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    Promise<byte[]> promise = Promise.promise();
    Future<byte[]> running = loading.putIfAbsent(sha256Hex, promise.future());
    if (running != null) {
      return running;
    }
    vertx.<byte[]>executeBlocking(() -> readVerified(sha256Hex), false).onComplete(result -> {
      if (result.succeeded()) {
        remember(sha256Hex, result.result());
      }
      loading.remove(sha256Hex, promise.future());
      promise.handle(result);
    });
    return promise.future();
  }

  /**
   * Starts reading modules a device will soon ask for, at most {@code concurrency} at a time,
   * so that its session streams from memory. Skipped when they would not fit in the cache.
   */
  public void prefetch(Collection<String> sha256Hexes, long approximateBytes) {
    if (approximateBytes > config.dist().moduleCacheBytes() / 2) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String sha : sha256Hexes) {
      if (cached(sha) == null && !loading.containsKey(sha)) {
        missing.add(sha);
      }
    }
    Iterator<String> queue = missing.iterator();
    for (int i = 0; i < config.dist().moduleFetchConcurrency(); i++) {
      prefetchNext(queue);
    }
  }

  private void prefetchNext(Iterator<String> queue) {
    String sha;
    synchronized (queue) {
      if (!queue.hasNext()) {
        return;
      }
      sha = queue.next();
    }
    get(sha).onComplete(done -> prefetchNext(queue));
  }

  /** Bytes currently held in memory. */
  public synchronized long cachedBytes() {
    return cachedBytes;
  }

  private byte[] readVerified(String sha256Hex) throws NoSuchAlgorithmException {
    byte[] bytes = store.read(ModuleBlobEntity.storageKey(sha256Hex));
    String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    if (!actual.equals(sha256Hex)) {
      throw new ObjectStore.StorageException("module " + sha256Hex + " in object storage does not match its hash", null);
    }
    return bytes;
  }

  private synchronized byte[] cached(String sha256Hex) {
    return cache.get(sha256Hex);
  }

  private synchronized void remember(String sha256Hex, byte[] bytes) {
    long limit = config.dist().moduleCacheBytes();
    if (bytes.length > limit || cache.containsKey(sha256Hex)) {
      return;
    }
    cache.put(sha256Hex, bytes);
    cachedBytes += bytes.length;
    var it = cache.entrySet().iterator();
    while (cachedBytes > limit && it.hasNext()) {
      Map.Entry<String, byte[]> eldest = it.next();
      cachedBytes -= eldest.getValue().length;
      it.remove();
    }
  }
}
