package dev.tollgate.embedded.registry;

import dev.tollgate.core.serde.SchemaRegistryClient;
import dev.tollgate.core.serde.SchemaRegistryException;
import org.apache.avro.Schema;

/**
 * A registry client that talks to a {@link SchemaStore} in this JVM, with no HTTP in between: for
 * topology tests, and for services running in the same process as the embedded registry.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private final SchemaStore store;

  public InMemorySchemaRegistryClient(SchemaStore store) {
    this.store = store;
  }

  public InMemorySchemaRegistryClient() {
    this(SchemaStore.inMemory());
  }

  @Override
  public int register(String subject, Schema schema) {
    try {
      return store.register(subject, schema).id();
    } catch (IncompatibleSchemaException e) {
      throw new SchemaRegistryException(409, e.getMessage());
    }
  }

  @Override
  public Schema schemaById(int id) {
    return store
        .byId(id)
        .orElseThrow(() -> new SchemaRegistryException(404, "schema " + id + " not found"));
  }
}
