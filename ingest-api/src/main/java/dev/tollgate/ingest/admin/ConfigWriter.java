package dev.tollgate.ingest.admin;

import dev.tollgate.platform.governance.ConfigEntity;
import dev.tollgate.platform.governance.ConfigRules;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.schemas.GatewayConfigEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes config entities to {@code gateway-config} and returns once this instance's view has
 * applied them, so an admin call reads its own write. Blocking: call it off the event loop.
 */
final class ConfigWriter {

  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private final Producer<String, SpecificRecord> producer;
  private final String topic;
  private final GatewayConfigView view;
  private final Clock clock;

  ConfigWriter(
      Producer<String, SpecificRecord> producer,
      String topic,
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
    try {
      producer.send(new ProducerRecord<>(topic, key, entry)).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("gateway-config is not writable now: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long until = System.nanoTime() + APPLY_TIMEOUT.toNanos();
    while (!Objects.equals(view.entry(key).orElse(null), entry)) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("written, but not yet applied after " + APPLY_TIMEOUT);
      }
      try {
        // The view's follower thread applies the record; there is no signal to wait on, and a
        // 2 ms poll keeps an admin call's extra wait well under the follower's own fetch wait.
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
