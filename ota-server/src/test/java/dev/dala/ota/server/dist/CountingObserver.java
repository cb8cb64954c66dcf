package dev.dala.ota.server.dist;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the endpoint reports, by kind and reason, such as "refused:bad_cookie". */
final class CountingObserver implements DistObserver {

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  int count(String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  /**
   * The count once it reaches {@code expected}, waiting up to two seconds: a close is counted
   * when the endpoint sees its socket close, a moment after the peer does.
   */
  int awaitCount(String key, int expected) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (count(key) < expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return count(key);
  }

  private void add(String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void epmd(EpmdRequest request) {
    add("epmd:" + request.code());
  }

  @Override
  public void refused(Refusal reason) {
    add("refused:" + reason.code());
  }

  @Override
  public void connected() {
    add("connected");
  }

  @Override
  public void closed(Closure reason) {
    add("closed:" + reason.code());
  }

  @Override
  public void dropped(Drop reason) {
    add("dropped:" + reason.code());
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
