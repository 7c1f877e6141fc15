package dev.tollgate.core.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro SpecificRecord values in the Confluent wire format: magic byte 0, the schema's 4-byte
 * big-endian registry id, then Avro binary. Registers the writer schema under {@code <topic>-value}
 * (TopicNameStrategy) and resolves any registered writer schema against the reader's, so Confluent
 * tooling reads what Tollgate writes and old records stay readable.
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  static final byte MAGIC = 0;
  static final long MAX_BACKOFF_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(AvroSerde.class);

  private final SchemaRegistryClient registry;
  private final Class<T> type;
  private final Schema readerSchema;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
  private final SpecificDatumWriter<T> writer;

  public AvroSerde(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    this.type = type;
    this.readerSchema = SpecificData.get().getSchema(type);
    this.writer = new SpecificDatumWriter<>(readerSchema);
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    int id =
        answered(
            () -> registry.register(topic + "-value", readerSchema),
            "register the schema of " + topic);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(data, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + ": " + e, e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < 5 || bytes[0] != MAGIC) {
      throw new SerializationException(
          "not in the Confluent Avro wire format (magic byte 0 and a schema id expected)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.get();
    int id = buffer.getInt();
    DatumReader<T> reader = readerOf(id);
    try {
      return reader.read(
          null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot read " + type.getSimpleName() + " written with schema id " + id + ": " + e, e);
    }
  }

  /**
   * The reader for writer schema {@code id}, waiting out a registry outage ({@link #answered}).
   * Only an id the registry answers "not found" for is poison.
   */
  private DatumReader<T> readerOf(int id) {
    try {
      return answered(
          () -> readers.computeIfAbsent(id, this::readerFor), "resolve schema id " + id);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("unknown writer schema id " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * What {@code call} returns once the registry answers. While it cannot (unreachable, timed out,
   * failing), waits and asks again, backing off to {@value #MAX_BACKOFF_MS} ms: a record is never
   * poison, nor a write failed, because the registry is down; the thread calling this stops where
   * it is until the registry is back (its service reports not ready meanwhile). A refusal (4xx) is
   * thrown at once.
   */
  private static <R> R answered(Supplier<R> call, String what) {
    long backoffMs = 100;
    boolean warned = false;
    while (true) {
      try {
        R answer = call.get();
        if (warned) {
          LOG.info("schema registry answers again: done waiting to {}", what);
        }
        return answer;
      } catch (SchemaRegistryException e) {
        if (!e.isOutage()) {
          throw e;
        }
        if (!warned) {
          LOG.warn("schema registry unavailable; waiting to {}: {}", what, e.getMessage());
          warned = true;
        }
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  private DatumReader<T> readerFor(int id) {
    return new SpecificDatumReader<>(registry.schemaById(id), readerSchema);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Configured by its constructor; Kafka's configure call carries nothing it needs.
  }

  @Override
  public void close() {
    // The registry client is shared and closed by its owner.
  }
}
