package dev.tollgate.router.governance;

import java.util.function.BiConsumer;

/** The part of a key-value store the governance checks use: a state store, or a map in tests. */
public interface StateMap<V> {

  V get(String key);

  void put(String key, V value);

  void delete(String key);

  /** Every entry, in no particular order. */
  void forEach(BiConsumer<String, V> action);
}
