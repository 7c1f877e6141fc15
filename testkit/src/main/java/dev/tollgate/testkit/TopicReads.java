package dev.tollgate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic in a test, with a bound on how long it may take. */
public final class TopicReads {

  private TopicReads() {}

  /**
   * Reads {@code topic} from its start, read-committed, with a group of its own, until {@code
   * enough} holds of what was read or {@code limit} passes; returns what was read.
   */
  public static List<ConsumerRecord<String, byte[]>> readUntil(
      Properties clientProps,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> enough,
      Duration limit) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put("group.id", "test-read-" + topic + "-" + System.nanoTime());
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + limit.toNanos();
      while (!enough.test(records) && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Reads {@code topic} as {@link #readUntil} does until a record for which {@code last} holds;
   * {@code last} sees each record once, in the order read.
   */
  public static List<ConsumerRecord<String, byte[]>> readThrough(
      Properties clientProps,
      String topic,
      Predicate<ConsumerRecord<String, byte[]>> last,
      Duration limit) {
    int[] seen = {0};
    boolean[] found = {false};
    return readUntil(
        clientProps,
        topic,
        records -> {
          while (!found[0] && seen[0] < records.size()) {
            found[0] = last.test(records.get(seen[0]++));
          }
          return found[0];
        },
        limit);
  }

  /** {@link #readUntil} at least {@code count} records. */
  public static List<ConsumerRecord<String, byte[]>> read(
      Properties clientProps, String topic, int count, Duration limit) {
    return readUntil(clientProps, topic, records -> records.size() >= count, limit);
  }
}
