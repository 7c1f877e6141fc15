package dev.tollgate.embedded.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The embedded registry's durable log: one compacted, single-partition topic of {@link
 * SchemaLogEntry} JSON. A registration is acknowledged only after its entry is written, and a
 * restarted registry replays the topic, so schema ids survive restarts.
 */
public final class KafkaSchemaLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaSettings kafka;
  private final String topic;
  private final KafkaProducer<String, String> producer;

  private KafkaSchemaLog(KafkaSettings kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
    Properties props = kafka.clientProperties("tollgate-schema-registry");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Opens the log, creating its topic if needed. */
  public static KafkaSchemaLog open(KafkaSettings kafka) {
    String topic = kafka.topics().schemaRegistryLog();
    new TopicAdmin(kafka).ensure(List.of(new TopicAdmin(kafka).compacted(topic, 1)));
    return new KafkaSchemaLog(kafka, topic);
  }

  /** Writes {@code entry} and waits until the broker has it. */
  public void append(SchemaLogEntry entry) {
    try {
      producer.send(new ProducerRecord<>(topic, entry.key(), JSON.writeValueAsString(entry))).get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot persist schema: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while persisting a schema", e);
    }
  }

  /** Reads the whole log into {@code store}. */
  public void replayInto(SchemaStore store) {
    Properties props = kafka.clientProperties("tollgate-schema-registry-replay");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition));
      while (consumer.position(partition) < end.get(partition)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            store.apply(parse(record.value()));
          }
        }
      }
    }
  }

  private static SchemaLogEntry parse(String json) {
    try {
      return JSON.readValue(json, SchemaLogEntry.class);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt schema log entry: " + json, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
