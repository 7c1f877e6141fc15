package dev.tollgate.core.serde;

import dev.tollgate.schemas.Topic;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic with the serdes of its key and value, so whatever reads it (a follower, a topology)
 * decodes what the topic holds and nothing else. Made by {@link AvroSerdes#on}.
 */
public record AvroTopic<V extends SpecificRecord>(Topic<String, V> topic, AvroSerde<V> values) {

  private static final Logger LOG = LoggerFactory.getLogger(AvroTopic.class);

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

  /**
   * The value of {@code record}, or nothing (logged) when it is empty or does not decode: for a
   * consumer that passes over what it cannot read rather than stop on it.
   */
  public Optional<V> decodeOrSkip(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(record.value()));
    } catch (SerializationException e) {
      LOG.error(
          "skipping an undecodable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return Optional.empty();
    }
  }
}
