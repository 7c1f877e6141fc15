package dev.tollgate.schemas;

import java.util.Objects;

/**
 * A typed topic: its name with the Java types of its key and value, so a producer or a topology
 * cannot put the wrong record on it.
 *
 * @param name the full topic name, prefix included
 * @param keyType the key type; every Tollgate key is a {@link String} id
 * @param valueType the Avro record type of the value
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name is blank");
    }
  }

  /** The subject under which this topic's value schema is registered (TopicNameStrategy). */
  public String valueSubject() {
    return name + "-value";
  }
}
