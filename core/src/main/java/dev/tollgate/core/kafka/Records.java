package dev.tollgate.core.kafka;

import dev.tollgate.schemas.Topic;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Records for Tollgate's producers, which write several record types through one serializer ({@code
 * AvroSerdes.anySerializer}): the topic decides the value's type, so a record cannot land on a
 * topic that holds another.
 */
public final class Records {

  private Records() {}

  /** A record of {@code topic}; a null value is a tombstone. */
  public static <V extends SpecificRecord> ProducerRecord<String, SpecificRecord> to(
      Topic<String, V> topic, String key, V value) {
    return new ProducerRecord<>(topic.name(), key, value);
  }

  /**
   * Waits (blocking) until Kafka has the record {@code sent}: for the calls that answer only once
   * their record is written (the admin API, uploads, batch commands).
   *
   * @throws IllegalStateException naming what Kafka said, when it failed or took too long
   */
  public static RecordMetadata await(Future<RecordMetadata> sent, Duration timeout) {
    try {
      return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not take the record: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not take the record within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to Kafka", e);
    }
  }
}
