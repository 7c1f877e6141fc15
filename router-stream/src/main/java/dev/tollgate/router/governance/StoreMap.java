package dev.tollgate.router.governance;

import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A Streams key-value store as a {@link StateMap}. */
public record StoreMap<V>(KeyValueStore<String, V> store) implements StateMap<V> {

  @Override
  public V get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, V value) {
    store.put(key, value);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
  }

  @Override
  public void forEach(BiConsumer<String, V> action) {
    try (KeyValueIterator<String, V> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, V> entry = all.next();
        action.accept(entry.key, entry.value);
      }
    }
  }
}
