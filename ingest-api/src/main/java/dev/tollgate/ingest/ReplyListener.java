package dev.tollgate.ingest;

import dev.tollgate.platform.serde.AvroSerde;
import dev.tollgate.schemas.LlmReply;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this instance's own reply topic (every partition, from the end, no consumer group) and
 * hands each reply to whoever waits for it. Only this instance writes requests that name this
 * topic, so instances scale out without reading each other's replies.
 */
final class ReplyListener implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final AvroSerde<LlmReply> serde;
  private final PendingReplies pending;
  private final AtomicBoolean running = new AtomicBoolean(true);

  ReplyListener(
      Properties clientProps, String topic, AvroSerde<LlmReply> serde, PendingReplies pending) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    // Workers answer in transactions: a reply from an aborted one was never sent.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.serde = serde;
    this.pending = pending;
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so replies to requests sent after start are never skipped.
    partitions.forEach(consumer::position);
  }

  @Override
  public void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            pending.complete(serde.deserialize(record.topic(), record.value()));
          } catch (SerializationException e) {
            LOG.error(
                "undecodable reply at {}-{}@{}: {}",
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

  void stop() {
    running.set(false);
    consumer.wakeup();
  }
}
