package dev.tollgate.platform.streams;

import dev.tollgate.schemas.Topic;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A value with the topic it must go to, for sinks whose topic depends on the record (a provider's
 * request topic, a request's own reply topic). Only the value is written.
 */
public record Addressed<V>(String topic, V value) {

  /**
   * {@code value} for {@code topic}, which holds its type (a stream of several types is {@code V}).
   */
  public static <V, T extends V> Addressed<V> to(Topic<String, T> topic, T value) {
    return new Addressed<>(topic.name(), value);
  }

  /** Sends each record to its own topic. */
  public static <V> TopicNameExtractor<String, Addressed<V>> extractor() {
    return (key, addressed, context) -> addressed.topic();
  }

  /**
   * Writes the value with {@code valueSerde} (headers included, so a signing serializer sees them);
   * never read back, as these only leave a topology.
   */
  public static <V> Serde<Addressed<V>> serde(Serde<V> valueSerde) {
    Serializer<V> values = valueSerde.serializer();
    Serializer<Addressed<V>> serializer =
        new Serializer<>() {
          @Override
          public byte[] serialize(String topic, Addressed<V> addressed) {
            return addressed == null ? null : values.serialize(topic, addressed.value());
          }

          @Override
          public byte[] serialize(String topic, Headers headers, Addressed<V> addressed) {
            return addressed == null ? null : values.serialize(topic, headers, addressed.value());
          }
        };
    return Serdes.serdeFrom(
        serializer,
        (topic, bytes) -> {
          throw new UnsupportedOperationException("Addressed values are write-only");
        });
  }
}
