package dev.tollgate.core.kafka;

import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka producers and consumers Tollgate's services make, from properties that come from {@link
 * KafkaSettings#clientProperties} (where the cluster's security settings are).
 */
public final class Clients {

  private Clients() {}

  /**
   * A producer of Tollgate records, keyed by id.
   *
   * @param values the value serializer: {@code AvroSerdes.anySerializer()}, or that wrapped (a
   *     signing one)
   */
  public static KafkaProducer<String, SpecificRecord> producer(
      Properties props, Serializer<SpecificRecord> values) {
    return new KafkaProducer<>(props, new StringSerializer(), values);
  }

  /**
   * A consumer of values as bytes, which the caller decodes (so a record that does not decode is
   * the caller's to skip or dead-letter, not an exception in the poll): read-committed, nothing
   * committed on its own.
   */
  public static KafkaConsumer<String, byte[]> rawConsumer(Properties clientProps) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Workers and Streams apps write in transactions: what an aborted one wrote was never sent.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
