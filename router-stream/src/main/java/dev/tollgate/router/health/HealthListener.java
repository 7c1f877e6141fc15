package dev.tollgate.router.health;

import dev.tollgate.platform.serde.AvroSerde;
import dev.tollgate.schemas.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link HealthWindows} from {@code provider-health}: every partition (health is global),
 * starting from the observations of the last {@code horizon}, so a restarted router knows the
 * recent past at once; no consumer group, nothing committed.
 */
public final class HealthListener implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthListener.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final AvroSerde<ProviderHealth> serde;
  private final HealthWindows windows;
  private final AtomicBoolean running = new AtomicBoolean(true);

  public HealthListener(
      Properties clientProps,
      String topic,
      AvroSerde<ProviderHealth> serde,
      HealthWindows windows,
      Duration horizon) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.serde = serde;
    this.windows = windows;
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> since = new HashMap<>();
    long from = Instant.now().minus(horizon).toEpochMilli();
    partitions.forEach(p -> since.put(p, from));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = offsets.get(p);
      if (at == null) {
        consumer.seekToEnd(List.of(p));
      } else {
        consumer.seek(p, at.offset());
      }
    }
  }

  @Override
  public void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            windows.observe(serde.deserialize(record.topic(), record.value()));
          } catch (SerializationException e) {
            LOG.warn(
                "skipping undecodable health observation at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  public void stop() {
    running.set(false);
    consumer.wakeup();
  }
}
