package dev.tollgate.platform.streams;

import dev.tollgate.platform.deadletter.DeadLetters;
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
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Decoded<T> decoded;
    try {
      T value = deserializer.deserialize(meta.topic(), record.headers(), record.value());
      decoded =
          value == null
              ? poison(meta, record, "empty value (tombstone) where a record was expected")
              : new Decoded.Ok<>(value);
    } catch (SerializationException e) {
      decoded = poison(meta, record, "undecodable: " + e.getMessage());
    }
    context.forward(record.withValue(decoded));
  }

  private Decoded<T> poison(
      RecordMetadata meta, FixedKeyRecord<String, byte[]> record, String reason) {
    return new Decoded.Poison<>(
        DeadLetters.poison(
            service,
            new DeadLetters.Source(meta.topic(), meta.partition(), meta.offset()),
            record.key(),
            record.value(),
            record.headers(),
            reason,
            Instant.ofEpochMilli(context.currentSystemTimeMs())));
  }
}
