package dev.tollgate.core.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads records by their place, so a service can keep where a large value is (a file's chunk, an
 * async reply) instead of the value itself.
 */
public final class RecordReads {

  private static final Duration POLL = Duration.ofMillis(200);

  private RecordReads() {}

  /** A consumer for reads by place: no group, nothing committed, read-committed. */
  public static KafkaConsumer<String, byte[]> consumer(Properties clientProps) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    return Clients.rawConsumer(props);
  }

  /**
   * The value at {@code offset} of {@code partition}; empty when no such record is there (deleted
   * by retention, or the offset holds a transaction marker) or it was not read within {@code
   * timeout}. Reassigns {@code consumer} to {@code partition}.
   */
  public static Optional<byte[]> valueAt(
      Consumer<String, byte[]> consumer, TopicPartition partition, long offset, Duration timeout) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, offset);
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (record.offset() == offset) {
          return Optional.ofNullable(record.value());
        }
        if (record.offset() > offset) {
          return Optional.empty();
        }
      }
      if (consumer.position(partition) > offset) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
