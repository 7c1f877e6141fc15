package dev.tollgate.router.governance;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A {@link StateMap} over a plain map, for unit tests. */
final class MapState<V> implements StateMap<V> {

  final Map<String, V> map = new HashMap<>();

  @Override
  public V get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, V value) {
    map.put(key, value);
  }

  @Override
  public void delete(String key) {
    map.remove(key);
  }

  @Override
  public void forEach(BiConsumer<String, V> action) {
    new HashMap<>(map).forEach(action);
  }
}
