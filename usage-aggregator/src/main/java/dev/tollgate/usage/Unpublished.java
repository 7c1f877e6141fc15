package dev.tollgate.usage;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The rows of one task's tables changed since they were last published (decision 0021). A table's
 * topic is compacted and read for each row's latest version, so a row is published once per
 * interval with what it holds then, not once per event that changed it. The marks live in a store
 * with a changelog: they commit with the changes they stand for, so a crash between a change and
 * its publication publishes it after the restore.
 */
final class Unpublished {

  /** A row to publish: its table, its key, and the time of its latest change. */
  record Mark(String table, String key, long changedAt) {}

  private final KeyValueStore<String, Long> marks;

  Unpublished(KeyValueStore<String, Long> marks) {
    this.marks = marks;
  }

  /** The store of marks named {@code name}; cached, so a row changed often writes one mark. */
  static StoreBuilder<KeyValueStore<String, Long>> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long())
        .withCachingEnabled();
  }

  /** Marks the row {@code key} of {@code table} (a name without spaces) changed at {@code at}. */
  void mark(String table, String key, long at) {
    marks.put(table + " " + key, at);
  }

  /** Every row marked since the last call, in key order; their marks are removed. */
  List<Mark> take() {
    List<Mark> taken = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = marks.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> mark = all.next();
        int space = mark.key.indexOf(' ');
        taken.add(
            new Mark(mark.key.substring(0, space), mark.key.substring(space + 1), mark.value));
        keys.add(mark.key);
      }
    }
    keys.forEach(marks::delete);
    return taken;
  }
}
