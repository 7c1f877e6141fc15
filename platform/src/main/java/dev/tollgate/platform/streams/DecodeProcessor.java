package dev.tollgate.platform.streams;

import dev.tollgate.platform.deadletter.DeadLetters;
import dev.tollgate.schemas.DeadLetter;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes raw values inside the topology, so a poison record becomes a {@link Decoded.Poison}
 * carrying its dead letter (reason, source topic, partition and offset) instead of an exception
 * that would stop the stream thread. Topologies read their input as bytes and start here.
 */
public final class DecodeProcessor<T> implements FixedKeyProcessor<String, byte[], Decoded<T>> {

  private final String service;
  private final Deserializer<T> deserializer;
  private FixedKeyProcessorContext<String, Decoded<T>> context;

  public DecodeProcessor(String service, Deserializer<T> deserializer) {
    this.service = service;
    this.deserializer = deserializer;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    context.forward(record.withValue(decode(service, deserializer, context, record)));
  }

  /**
   * {@code record}'s value decoded, or its dead letter: for processors that decode as one step of
   * their own.
   */
  public static <T> Decoded<T> decode(
      String service,
      Deserializer<T> deserializer,
      FixedKeyProcessorContext<?, ?> context,
      FixedKeyRecord<String, byte[]> record) {
    String topic = context.recordMetadata().orElseThrow().topic();
    String reason;
    try {
      T value = deserializer.deserialize(topic, record.headers(), record.value());
      if (value != null) {
        return new Decoded.Ok<>(value);
      }
      reason = "empty value (tombstone) where a record was expected";
    } catch (SerializationException e) {
      reason = "undecodable: " + e.getMessage();
    }
    return new Decoded.Poison<>(deadLetter(service, context, record, reason));
  }

  /** The dead letter of {@code record}, the record being processed, for {@code reason}. */
  public static DeadLetter deadLetter(
      String service,
      FixedKeyProcessorContext<?, ?> context,
      FixedKeyRecord<String, byte[]> record,
      String reason) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    return DeadLetters.poison(
        service,
        new DeadLetters.Source(meta.topic(), meta.partition(), meta.offset()),
        record.key(),
        record.value(),
        record.headers(),
        reason,
        Instant.ofEpochMilli(context.currentSystemTimeMs()));
  }
}
