package dev.tollgate.core.kafka;

import dev.tollgate.core.serde.AvroTopic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a topic in a consumer group on a thread of its own and hands each value to a handler,
 * committing once a poll's values are handled: after a restart it resumes where it stopped, so each
 * value is handled at least once, in order per partition. A record that does not decode is logged
 * and passed over; a handler interrupted stops the reader without committing.
 */
public final class GroupReader<V extends SpecificRecord> implements Runnable, AutoCloseable {

  /** What is done with each value; may block (a webhook tried until it answers). */
  public interface Handler<V> {
    void handle(V value) throws InterruptedException;
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroTopic<V> topic;
  private final Handler<V> handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /**
   * @param groupId the group that keeps how far the values were handled
   * @param maxPollRecords the most values handled between two commits
   */
  public GroupReader(
      Properties clientProps,
      String groupId,
      int maxPollRecords,
      AvroTopic<V> topic,
      Handler<V> handler) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    this.consumer = Clients.rawConsumer(props);
    this.topic = topic;
    this.handler = handler;
    this.thread = new Thread(this, "read-" + groupId);
  }

  public GroupReader<V> start() {
    thread.start();
    return this;
  }

  public boolean isAlive() {
    return thread.isAlive();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic.name()));
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Optional<V> value = topic.decodeOrSkip(record);
          if (value.isPresent()) {
            handler.handle(value.get());
          }
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      // Stopped while a handler waited (close): nothing more is handled or committed.
    } finally {
      // Closing leaves the group cleanly only if this thread is not marked interrupted.
      Thread.interrupted();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Stops reading (interrupting a handler that waits) and waits up to ten seconds for the end. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
