package dev.tollgate.core.kafka;

import dev.tollgate.core.serde.AvroTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of one topic on its own thread, read-committed, with no consumer group
 * and nothing committed, handing each decoded value to a sink: for a process's own reply topic
 * (from the end), a global signal such as provider health (from a point in time) or a table such as
 * the gateway config (from the beginning, with its key; a tombstone comes as a null value). An
 * undecodable record is logged and skipped; it never stops the follower.
 */
public final class TopicFollower<V> implements Runnable {

  /** Takes each followed record, decoded (null for a tombstone), with where it was read. */
  @FunctionalInterface
  public interface RecordSink<V> {
    void accept(ConsumerRecord<String, byte[]> record, V value);
  }

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<V> deserializer;
  private final RecordSink<V> sink;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Map<TopicPartition, Long> startEnd;
  private final Thread thread;

  /** Signalled each time a poll's records have been handed on ({@link #awaitUntil}). */
  private final ChangeSignal applied = new ChangeSignal();

  private TopicFollower(
      Properties clientProps,
      String topic,
      Deserializer<V> deserializer,
      RecordSink<V> sink,
      Instant since) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    this.consumer = Clients.rawConsumer(props);
    this.deserializer = deserializer;
    this.sink = sink;
    List<TopicPartition> partitions = partitions(consumer, topic);
    consumer.assign(partitions);
    this.startEnd = consumer.endOffsets(partitions);
    position(partitions, since);
    this.thread = new Thread(this, "follow-" + topic);
  }

  /**
   * The partitions of {@code topic}, asked again while the metadata has none yet (a topic created a
   * moment ago): a follower assigned no partitions would die at its first poll.
   */
  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    while (true) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (System.nanoTime() > deadline) {
        consumer.close(Duration.ZERO);
        throw new IllegalStateException(
            "topic " + topic + " has no partitions after " + METADATA_TIMEOUT + ": does it exist?");
      }
      try {
        // The consumer gives no signal when the topic's metadata arrives: ask again shortly.
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        consumer.close(Duration.ZERO);
        throw new IllegalStateException("interrupted while looking up " + topic, e);
      }
    }
  }

  /** Follows {@code topic} from its current end: only what is written from now on. */
  public static <V extends SpecificRecord> TopicFollower<V> fromEnd(
      Properties clientProps, AvroTopic<V> topic, Consumer<V> sink) {
    return new TopicFollower<>(clientProps, topic.name(), topic.values(), valuesOnly(sink), null);
  }

  /** Follows {@code topic} from the first record written at or after {@code since}. */
  public static <V extends SpecificRecord> TopicFollower<V> since(
      Properties clientProps, AvroTopic<V> topic, Consumer<V> sink, Instant since) {
    return new TopicFollower<>(clientProps, topic.name(), topic.values(), valuesOnly(sink), since);
  }

  /**
   * Follows {@code topic} from its beginning, handing on each record's key and value (null for a
   * tombstone): a compacted table.
   */
  public static <V extends SpecificRecord> TopicFollower<V> table(
      Properties clientProps, AvroTopic<V> topic, BiConsumer<String, V> sink) {
    return new TopicFollower<>(
        clientProps,
        topic.name(),
        topic.values(),
        (r, v) -> sink.accept(r.key(), v),
        Instant.EPOCH);
  }

  /**
   * Follows {@code topic} from the first record written at or after {@code since}, handing on each
   * record with its place, so a sink can keep where a value is instead of the value.
   */
  public static <V extends SpecificRecord> TopicFollower<V> records(
      Properties clientProps, AvroTopic<V> topic, RecordSink<V> sink, Instant since) {
    return new TopicFollower<>(clientProps, topic.name(), topic.values(), sink, since);
  }

  private static <V> RecordSink<V> valuesOnly(Consumer<V> sink) {
    return (record, value) -> {
      if (value != null) {
        sink.accept(value);
      }
    };
  }

  /** Starts following on its own thread. */
  public TopicFollower<V> start() {
    thread.start();
    return this;
  }

  public boolean isAlive() {
    return thread.isAlive();
  }

  /**
   * Waits until everything written before this follower started has been handed to the sink.
   *
   * @throws IllegalStateException when that takes longer than {@code timeout}
   */
  public void awaitCaughtUp(Duration timeout) {
    try {
      if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "did not catch up with " + startEnd.keySet() + " within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while catching up", e);
    }
  }

  /**
   * Waits until {@code condition} holds, asking again each time this follower has handed on what it
   * read: for a caller that wrote a record and waits until the view built from the topic shows it.
   * False when it does not hold within {@code timeout}.
   */
  public boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
    return applied.awaitUntil(condition, timeout);
  }

  private void checkCaughtUp() {
    if (caughtUp.getCount() > 0
        && startEnd.entrySet().stream()
            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
      caughtUp.countDown();
    }
  }

  private void position(List<TopicPartition> partitions, Instant since) {
    if (since == null) {
      consumer.seekToEnd(partitions);
    } else {
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp at = offsets.get(p);
        if (at == null) {
          consumer.seekToEnd(List.of(p));
        } else {
          consumer.seek(p, at.offset());
        }
      }
    }
    // Resolve positions now, so nothing written after this returns is skipped.
    partitions.forEach(consumer::position);
  }

  @Override
  public void run() {
    try {
      checkCaughtUp();
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          V value;
          try {
            value =
                record.value() == null
                    ? null
                    : deserializer.deserialize(record.topic(), record.value());
          } catch (SerializationException e) {
            LOG.error(
                "skipping undecodable record at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
            continue;
          }
          sink.accept(record, value);
        }
        applied.changed();
        checkCaughtUp();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Stops following and waits (up to ten seconds) for the thread to end. */
  public void stop() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
