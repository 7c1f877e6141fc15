package dev.tollgate.router;

import dev.tollgate.schemas.CachedReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the replies workers publish to {@code response-cache} in the router task that owns their
 * team, by cache key. Every 30 seconds of wall-clock time it sweeps out expired replies and, if the
 * task holds more than its bound, the ones that would expire soonest.
 */
final class CacheStore implements FixedKeyProcessor<String, CachedReply, Void> {

  static final Duration SWEEP = Duration.ofSeconds(30);

  private final int maxEntries;
  private KeyValueStore<String, CachedReply> store;
  private FixedKeyProcessorContext<String, Void> context;

  CacheStore(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Void> context) {
    this.context = context;
    this.store = context.getStateStore(RouterStores.CACHE);
    context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(FixedKeyRecord<String, CachedReply> record) {
    CachedReply cached = record.value();
    if (cached.getExpiresAt().isAfter(Instant.ofEpochMilli(context.currentSystemTimeMs()))) {
      store.put(cached.getCacheKey(), cached);
    }
  }

  void sweep(long now) {
    List<String> expired = new ArrayList<>();
    List<KeyValue<String, Instant>> live = new ArrayList<>();
    try (KeyValueIterator<String, CachedReply> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, CachedReply> entry = all.next();
        Instant expires = entry.value.getExpiresAt();
        if (!expires.isAfter(Instant.ofEpochMilli(now))) {
          expired.add(entry.key);
        } else {
          live.add(KeyValue.pair(entry.key, expires));
        }
      }
    }
    if (live.size() > maxEntries) {
      live.sort(Comparator.comparing(e -> e.value));
      live.subList(0, live.size() - maxEntries).forEach(e -> expired.add(e.key));
    }
    expired.forEach(store::delete);
  }
}
