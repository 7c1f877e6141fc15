package dev.tollgate.platform.serde;

import dev.tollgate.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;

/** Makes the value serdes of every topic from one shared registry client. */
public final class AvroSerdes {

  private final SchemaRegistryClient registry;

  public AvroSerdes(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  public <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(registry, type);
  }

  public <V extends SpecificRecord> AvroSerde<V> valueOf(Topic<String, V> topic) {
    return of(topic.valueType());
  }

  public SchemaRegistryClient registry() {
    return registry;
  }
}
