package dev.tollgate.ingest.admin;

import dev.tollgate.core.kafka.Records;
import dev.tollgate.platform.governance.ConfigEntity;
import dev.tollgate.platform.governance.ConfigRules;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Writes config entities to {@code gateway-config} and returns once this instance's view has
 * applied them, so an admin call reads its own write. Blocking: call it off the event loop.
 */
final class ConfigWriter {

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private final Producer<String, SpecificRecord> producer;
  private final Topic<String, GatewayConfigEntry> topic;
  private final GatewayConfigView view;
  private final Clock clock;

  ConfigWriter(
      Producer<String, SpecificRecord> producer,
      Topic<String, GatewayConfigEntry> topic,
      GatewayConfigView view,
      Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.view = view;
    this.clock = clock;
  }

  /** Writes {@code entity} (a team, key or route), checked against the rules first. */
  void put(Object entity, String by) {
    GatewayConfigEntry entry = new GatewayConfigEntry(entity, clock.instant(), by);
    String key = ConfigEntity.of(entry);
    ConfigRules.check(key, entry, view.fileCatalog());
    send(key, entry);
  }

  /** Deletes the entity under {@code entityKey} (a tombstone). */
  void delete(String entityKey) {
    send(entityKey, null);
  }

  private void send(String key, GatewayConfigEntry entry) {
    Records.await(producer.send(Records.to(topic, key, entry)), WRITE_TIMEOUT);
    if (!view.awaitEntry(key, entry, APPLY_TIMEOUT)) {
      throw new IllegalStateException("written, but not yet applied after " + APPLY_TIMEOUT);
    }
  }
}
