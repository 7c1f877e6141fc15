package dev.tollgate.platform.service;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What every service starts from: its settings, Kafka and registry access, the catalog and a Vert.x
 * instance. Built once per process (once for all services in local mode).
 */
public record ServiceContext(
    Settings settings, KafkaSettings kafka, ModelCatalog catalog, AvroSerdes serdes, Vertx vertx) {

  public static ServiceContext create(Settings settings, Vertx vertx) {
    KafkaSettings kafka = KafkaSettings.from(settings);
    if (kafka.schemaRegistryUrl().isEmpty()) {
      throw new ConfigException("kafka.schema-registry-url: required but not set");
    }
    return new ServiceContext(
        settings,
        kafka,
        ModelCatalog.load(settings),
        new AvroSerdes(new HttpSchemaRegistryClient(kafka.schemaRegistryUrl(), kafka.registry())),
        vertx);
  }

  /**
   * This context as {@code service} uses it: its Kafka clients with its own client properties
   * ({@code <service>.kafka.properties.*}, e.g. its own SASL principal).
   */
  public ServiceContext forService(String service) {
    return new ServiceContext(settings, kafka.forService(service), catalog, serdes, vertx);
  }

  /**
   * The interface every service's HTTP server binds to ({@code http.host}, loopback by default).
   */
  public String httpHost() {
    return settings.string("http.host", "127.0.0.1");
  }

  /**
   * Creates the shared topics if missing: requests (interactive and bulk), every provider's request
   * topics (interactive and bulk lanes), default replies, usage events, dead letters, provider
   * health, the response cache, and the compacted single-partition gateway config. The team-keyed
   * topics get the same partition count, so they are co-partitioned for the router.
   */
  public void ensureTopics() {
    TopicAdmin admin = new TopicAdmin(kafka);
    List<NewTopic> topics = new ArrayList<>();
    topics.add(admin.topic(kafka.topics().requests().name()));
    topics.add(admin.topic(kafka.topics().bulkRequests().name()));
    topics.add(admin.topic(kafka.topics().replies().name()));
    topics.add(admin.topic(kafka.topics().usageEvents().name()));
    topics.add(admin.topic(kafka.topics().deadLetters().name()));
    topics.add(admin.topic(kafka.topics().providerHealth().name()));
    topics.add(admin.topic(kafka.topics().responseCache().name()));
    topics.add(admin.compacted(kafka.topics().gatewayConfig().name(), 1));
    for (ProviderSpec provider : catalog.providers()) {
      topics.add(admin.topic(kafka.topics().providerRequests(provider.name()).name()));
      topics.add(admin.topic(kafka.topics().providerBulkRequests(provider.name()).name()));
    }
    admin.ensure(topics);
  }
}
