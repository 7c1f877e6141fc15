package dev.tollgate.core.serde;

import java.time.Instant;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The two calls a serde needs from a Confluent-compatible schema registry. Implementations are
 * thread-safe and cache what does not change (a schema id is forever).
 */
public interface SchemaRegistryClient {

  /**
   * Registers {@code schema} under {@code subject} (or finds it already registered) and returns its
   * global id. Fails with {@link SchemaRegistryException} if the registry refuses it, e.g. as
   * incompatible.
   */
  int register(String subject, Schema schema);

  /** The schema with global id {@code id}. */
  Schema schemaById(int id);

  /** Since when the registry has been failing to answer, or empty while it answers. */
  default Optional<Instant> unavailableSince() {
    return Optional.empty();
  }
}
