package dev.tollgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final String YAML =
      """
      kafka:
        bootstrap-servers: file:9092
        partitions: 3
      ingest:
        request-timeout: 30s
      """;

  @Test
  void environmentOverridesFileAndOverridesOverrideEnvironment() {
    Settings settings = Settings.of(YAML, Map.of("TOLLGATE_KAFKA_BOOTSTRAP_SERVERS", "env:9092"));

    assertThat(settings.string("kafka.bootstrap-servers")).isEqualTo("env:9092");
    assertThat(
            settings.with("kafka.bootstrap-servers", "cli:9092").string("kafka.bootstrap-servers"))
        .isEqualTo("cli:9092");
    assertThat(settings.intValue("kafka.partitions", 1)).isEqualTo(3);
    assertThat(settings.intValue("kafka.replication-factor", 1)).isEqualTo(1);
  }

  @Test
  void withDefaultKeepsWhatTheUserSet() {
    Settings settings = Settings.of(YAML, Map.of());

    assertThat(settings.withDefault("kafka.partitions", "9").intValue("kafka.partitions", 0))
        .isEqualTo(3);
    assertThat(settings.withDefault("kafka.topic-prefix", "x.").string("kafka.topic-prefix"))
        .isEqualTo("x.");
  }

  @Test
  void parsesDurations() {
    Settings settings = Settings.of(YAML, Map.of("TOLLGATE_MOCK_LATENCY", "250ms"));

    assertThat(settings.duration("ingest.request-timeout", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.duration("mock.latency", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(Settings.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void badValuesNameTheirKey() {
    Settings settings =
        Settings.of(
            "kafka:\n  partitions: many\n", Map.of("TOLLGATE_INGEST_REQUEST_TIMEOUT", "soon"));

    assertThatThrownBy(() -> settings.intValue("kafka.partitions", 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.partitions")
        .hasMessageContaining("many");
    assertThatThrownBy(() -> settings.duration("ingest.request-timeout", Duration.ZERO))
        .hasMessageContaining("ingest.request-timeout");
    assertThatThrownBy(() -> settings.string("kafka.bootstrap-servers"))
        .hasMessage("kafka.bootstrap-servers: required but not set");
    assertThatThrownBy(() -> settings.string("kafka"))
        .hasMessageContaining("expected a single value");
  }

  @Test
  void malformedYamlIsAConfigError() {
    assertThatThrownBy(() -> Settings.of("kafka: [unclosed", Map.of()))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Settings.of("- a list", Map.of()))
        .hasMessageContaining("mapping at the top level");
  }

  @Test
  void clientPropertiesComeFromFileEnvironmentAndOverridesWithSecretReferences(@TempDir Path dir)
      throws Exception {
    Path secrets = dir.resolve("kafka.properties");
    Files.writeString(secrets, "password=from-a-file\n");
    Path token = dir.resolve("token");
    Files.writeString(token, "  a-token  \n");
    Settings settings =
        Settings.of(
                """
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    sasl:
                      mechanism: PLAIN
                    sasl.jaas.config: "user=\\"${env:KAFKA_USER}\\" password=\\"${file:%s:password}\\""
                """
                    .formatted(secrets),
                Map.of(
                    "KAFKA_USER", "router",
                    "TOLLGATE_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/trust.p12"))
            .with("kafka.properties.client.rack", "eu-1")
            .with("gateway.signing-secret", "${file:" + token + "}");

    assertThat(settings.properties("kafka.properties"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", "user=\"router\" password=\"from-a-file\"")
        .containsEntry("ssl.truststore.location", "/etc/trust.p12")
        .containsEntry("client.rack", "eu-1")
        .hasSize(5);
    assertThat(settings.string("gateway.signing-secret")).isEqualTo("a-token");
    assertThatThrownBy(() -> settings.with("x.y", "${env:NOPE}").string("x.y"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("x.y: refers to ${env:NOPE}, which is not set");
  }
}
