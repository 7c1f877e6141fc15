package dev.tollgate.core.serde;

import dev.tollgate.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic with the serdes of its key and value, so whatever reads it (a follower, a topology)
 * decodes what the topic holds and nothing else. Made by {@link AvroSerdes#on}.
 */
public record AvroTopic<V extends SpecificRecord>(Topic<String, V> topic, AvroSerde<V> values) {

  public String name() {
    return topic.name();
  }

  public Serde<String> keys() {
    return Serdes.String();
  }

  /** The value of a record read from this topic. */
  public V decode(byte[] value) {
    return values.deserialize(topic.name(), value);
  }
}
