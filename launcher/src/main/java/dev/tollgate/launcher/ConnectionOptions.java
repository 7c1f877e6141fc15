package dev.tollgate.launcher;

import dev.tollgate.core.config.Settings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command shares: a config file, and where Kafka and the registry are. */
final class ConnectionOptions {

  @Option(names = "--config", description = "YAML config file (environment variables override it).")
  Path config;

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      description = "Confluent-compatible schema registry URL.")
  String schemaRegistryUrl;

  Settings settings() {
    Settings settings = Settings.load(Optional.ofNullable(config));
    if (bootstrapServers != null) {
      settings = settings.with("kafka.bootstrap-servers", bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      settings = settings.with("kafka.schema-registry-url", schemaRegistryUrl);
    }
    return settings;
  }
}
