package dev.tollgate.core.kafka;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How a service reaches Kafka and the schema registry, and how topics are laid out.
 *
 * @param bootstrapServers the brokers ({@code kafka.bootstrap-servers})
 * @param schemaRegistryUrl a Confluent-compatible registry ({@code kafka.schema-registry-url});
 *     empty only for the embedded registry itself, which serves it
 * @param registry how to authenticate to the registry ({@code kafka.schema-registry.*})
 * @param topics the topic registry behind its prefix ({@code kafka.topic-prefix})
 * @param partitions partitions for topics Tollgate creates ({@code kafka.partitions})
 * @param replicationFactor replication for topics Tollgate creates ({@code
 *     kafka.replication-factor})
 * @param properties Kafka client properties every client of this service gets ({@code
 *     kafka.properties.*}, then {@code <service>.kafka.properties.*}): security, timeouts, ...
 * @param serviceProperties each service's own client properties, by service name
 * @param service the service these settings are for ({@link #forService}), or empty
 */
public record KafkaSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    RegistryAuth registry,
    Topics topics,
    int partitions,
    short replicationFactor,
    Map<String, String> properties,
    Map<String, Map<String, String>> serviceProperties,
    String service) {

  /** The services that may have client properties of their own. */
  public static final List<String> SERVICES =
      List.of("router", "workers", "usage", "ingest", "batch", "registry");

  public KafkaSettings {
    properties = Map.copyOf(properties);
    serviceProperties = Map.copyOf(serviceProperties);
  }

  /** Plaintext settings with no client properties: for tests and tools on a local broker. */
  public static KafkaSettings of(
      String bootstrapServers,
      String schemaRegistryUrl,
      Topics topics,
      int partitions,
      short replicationFactor) {
    return new KafkaSettings(
        bootstrapServers,
        schemaRegistryUrl,
        RegistryAuth.none(),
        topics,
        partitions,
        replicationFactor,
        Map.of(),
        Map.of(),
        "");
  }

  public static KafkaSettings from(Settings settings) {
    int partitions = settings.intValue("kafka.partitions", 6);
    int replication = settings.intValue("kafka.replication-factor", 1);
    if (partitions < 1) {
      throw new ConfigException("kafka.partitions: must be at least 1, got " + partitions);
    }
    if (replication < 1 || replication > Short.MAX_VALUE) {
      throw new ConfigException("kafka.replication-factor: must be at least 1, got " + replication);
    }
    Map<String, Map<String, String>> perService = new TreeMap<>();
    for (String service : SERVICES) {
      Map<String, String> own = settings.properties(service + ".kafka.properties");
      if (!own.isEmpty()) {
        perService.put(service, own);
      }
    }
    return new KafkaSettings(
        settings.string("kafka.bootstrap-servers"),
        settings.string("kafka.schema-registry-url", ""),
        RegistryAuth.from(settings),
        Topics.withPrefix(settings.string("kafka.topic-prefix", "")),
        partitions,
        (short) replication,
        settings.properties("kafka.properties"),
        perService,
        "");
  }

  /**
   * These settings as {@code service} uses them: its own {@code <service>.kafka.properties.*} over
   * the shared ones, so each service can connect as its own principal.
   */
  public KafkaSettings forService(String service) {
    Map<String, String> merged = new TreeMap<>(properties);
    merged.putAll(serviceProperties.getOrDefault(service, Map.of()));
    return new KafkaSettings(
        bootstrapServers,
        schemaRegistryUrl,
        registry,
        topics,
        partitions,
        replicationFactor,
        merged,
        Map.of(),
        service);
  }

  /** The settings that say how these clients connect, for messages that must name them. */
  public String settingsKeys() {
    return service.isEmpty()
        ? "kafka.properties.*"
        : service + ".kafka.properties.* (over kafka.properties.*)";
  }

  /**
   * Client properties every producer, consumer, admin and Streams app starts from: the bootstrap
   * servers, the client id and every configured client property (security first among them).
   */
  public Properties clientProperties(String clientId) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    props.putAll(properties);
    return props;
  }

  /** The configured security protocol and SASL mechanism, for messages: never a credential. */
  public String describeSecurity() {
    String protocol =
        properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    String mechanism = properties.get(SaslConfigs.SASL_MECHANISM);
    return mechanism == null ? protocol : protocol + "/" + mechanism;
  }

  @Override
  public String toString() {
    // Client properties hold credentials: their names only.
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", schemaRegistryUrl="
        + schemaRegistryUrl
        + ", security="
        + describeSecurity()
        + ", properties="
        + properties.keySet()
        + "]";
  }
}
