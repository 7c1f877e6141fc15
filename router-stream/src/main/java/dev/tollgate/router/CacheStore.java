package dev.tollgate.router;

import dev.tollgate.schemas.CachedReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * team, by cache key, and sweeps out expired ones every minute of wall-clock time.
 */
final class CacheStore implements FixedKeyProcessor<String, CachedReply, Void> {

  private KeyValueStore<String, CachedReply> store;
  private FixedKeyProcessorContext<String, Void> context;

  @Override
  public void init(FixedKeyProcessorContext<String, Void> context) {
    this.context = context;
    this.store = context.getStateStore(RouterTopology.CACHE_STORE);
    context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(FixedKeyRecord<String, CachedReply> record) {
    CachedReply cached = record.value();
    if (cached.getExpiresAt().isAfter(Instant.ofEpochMilli(context.currentSystemTimeMs()))) {
      store.put(cached.getCacheKey(), cached);
    }
  }

  private void sweep(long now) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, CachedReply> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, CachedReply> entry = all.next();
        if (!entry.value.getExpiresAt().isAfter(Instant.ofEpochMilli(now))) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(store::delete);
  }
}
