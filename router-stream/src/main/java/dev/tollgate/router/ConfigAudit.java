package dev.tollgate.router;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.ConfigRules;
import dev.tollgate.platform.streams.DecodeProcessor;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GatewayConfigEntry;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Dead-letters every {@code gateway-config} record that does not decode or breaks {@link
 * ConfigRules}. Every service ignores such a record on its own; the router, which reads the topic
 * once per cluster as a consumer group, is the one that reports it. Tombstones are valid.
 */
final class ConfigAudit implements FixedKeyProcessor<String, byte[], DeadLetter> {

  private final String service;
  private final Deserializer<GatewayConfigEntry> deserializer;
  private final ModelCatalog fileCatalog;
  private FixedKeyProcessorContext<String, DeadLetter> context;

  /**
   * @param service the name dead letters give as who failed the record
   */
  ConfigAudit(
      String service, Deserializer<GatewayConfigEntry> deserializer, ModelCatalog fileCatalog) {
    this.service = service;
    this.deserializer = deserializer;
    this.fileCatalog = fileCatalog;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, DeadLetter> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String reason;
    try {
      GatewayConfigEntry entry =
          deserializer.deserialize(meta.topic(), record.headers(), record.value());
      if (record.key() == null) {
        throw new ConfigException("record key: required");
      }
      ConfigRules.check(record.key(), entry, fileCatalog);
      return;
    } catch (SerializationException e) {
      reason = "undecodable: " + e.getMessage();
    } catch (ConfigException e) {
      reason = "invalid gateway config, ignored by every service: " + e.getMessage();
    }
    context.forward(record.withValue(DecodeProcessor.deadLetter(service, context, record, reason)));
  }
}
