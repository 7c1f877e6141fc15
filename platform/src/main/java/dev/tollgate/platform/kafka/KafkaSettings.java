package dev.tollgate.platform.kafka;

import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import dev.tollgate.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How a service reaches Kafka and the schema registry, and how topics are laid out.
 *
 * @param bootstrapServers the brokers ({@code kafka.bootstrap-servers})
 * @param schemaRegistryUrl a Confluent-compatible registry ({@code kafka.schema-registry-url});
 *     empty only for the embedded registry itself, which serves it
 * @param topics the topic registry behind its prefix ({@code kafka.topic-prefix})
 * @param partitions partitions for topics Tollgate creates ({@code kafka.partitions})
 * @param replicationFactor replication for topics Tollgate creates ({@code
 *     kafka.replication-factor})
 */
public record KafkaSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    Topics topics,
    int partitions,
    short replicationFactor) {

  public static KafkaSettings from(Settings settings) {
    int partitions = settings.intValue("kafka.partitions", 6);
    int replication = settings.intValue("kafka.replication-factor", 1);
    if (partitions < 1) {
      throw new ConfigException("kafka.partitions: must be at least 1, got " + partitions);
    }
    if (replication < 1 || replication > Short.MAX_VALUE) {
      throw new ConfigException("kafka.replication-factor: must be at least 1, got " + replication);
    }
    return new KafkaSettings(
        settings.string("kafka.bootstrap-servers"),
        settings.string("kafka.schema-registry-url", ""),
        Topics.withPrefix(settings.string("kafka.topic-prefix", "")),
        partitions,
        (short) replication);
  }

  /** Client properties every producer, consumer, admin and Streams app starts from. */
  public Properties clientProperties(String clientId) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
