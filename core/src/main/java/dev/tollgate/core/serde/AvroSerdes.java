package dev.tollgate.core.serde;

import dev.tollgate.schemas.Topic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Makes the value serdes of every topic from one shared registry client. */
public final class AvroSerdes {

  private final SchemaRegistryClient registry;

  public AvroSerdes(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /** The serde of {@code type} where no topic decides it (a state store, a dynamic topic). */
  public <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(registry, type);
  }

  /** {@code topic} with its serdes: what followers and topologies read it through. */
  public <V extends SpecificRecord> AvroTopic<V> on(Topic<String, V> topic) {
    return new AvroTopic<>(topic, of(topic.valueType()));
  }

  /**
   * Registers {@code topic}'s value schema now, so that the first record written to it does not
   * wait on the registry (a producer called from an event loop must never block).
   */
  public <V extends SpecificRecord> void register(Topic<String, V> topic) {
    registry.register(topic.valueSubject(), SpecificData.get().getSchema(topic.valueType()));
  }

  /**
   * A serializer for any Tollgate record, choosing the serde by the value's class: for producers
   * that write several record types (a worker writes replies, usage events and dead letters).
   */
  public Serializer<SpecificRecord> anySerializer() {
    Map<Class<?>, AvroSerde<?>> byType = new ConcurrentHashMap<>();
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      @SuppressWarnings("unchecked")
      AvroSerde<SpecificRecord> serde =
          (AvroSerde<SpecificRecord>)
              byType.computeIfAbsent(
                  value.getClass(), type -> of(type.asSubclass(SpecificRecord.class)));
      return serde.serialize(topic, value);
    };
  }

  public SchemaRegistryClient registry() {
    return registry;
  }
}
