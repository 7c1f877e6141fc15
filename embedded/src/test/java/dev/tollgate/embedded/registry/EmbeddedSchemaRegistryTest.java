package dev.tollgate.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.core.serde.SchemaRegistryException;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded registry on a real broker: REST behaviour, compatibility, ids across restarts. */
class EmbeddedSchemaRegistryTest {

  private static EmbeddedKafka kafka;
  private static Vertx vertx;
  private static KafkaSettings settings;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.startTemporary();
    vertx = Vertx.vertx();
    settings =
        KafkaSettings.of(kafka.bootstrapServers(), "", Topics.withPrefix("reg."), 1, (short) 1);
  }

  @AfterAll
  static void stopKafka() {
    vertx.close();
    kafka.close();
  }

  @Test
  void schemaIdsSurviveARestart() throws Exception {
    int requestId;
    int usageId;
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(vertx, settings, "127.0.0.1", 0)) {
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
      requestId = client.register("llm-requests-value", LlmRequest.getClassSchema());
      usageId = client.register("usage-value", TokenUsage.getClassSchema());
      assertThat(usageId).isNotEqualTo(requestId);
      // The same schema under another subject keeps its id, as in Confluent's registry.
      assertThat(client.register("other-value", TokenUsage.getClassSchema())).isEqualTo(usageId);
    }
    try (EmbeddedSchemaRegistry restarted =
        EmbeddedSchemaRegistry.start(vertx, settings, "127.0.0.1", 0)) {
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(restarted.url());
      assertThat(client.schemaById(requestId)).isEqualTo(LlmRequest.getClassSchema());
      assertThat(client.register("usage-value", TokenUsage.getClassSchema())).isEqualTo(usageId);
      Schema fresh =
          new Schema.Parser()
              .parse(
                  "{\"type\":\"record\",\"name\":\"Fresh\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
      assertThat(client.register("fresh-value", fresh)).isGreaterThan(Math.max(requestId, usageId));
    }
  }

  @Test
  void incompatibleSchemasAreRefused() throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(vertx, settings, "127.0.0.1", 0)) {
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
      client.register("compat-value", record("{\"name\":\"a\",\"type\":\"int\"}"));
      // Adding a field with a default is backward compatible.
      client.register(
          "compat-value",
          record(
              "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}"));
      // Adding one without a default is not: readers could not fill it from old records.
      assertThatThrownBy(
              () ->
                  client.register(
                      "compat-value",
                      record(
                          "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"string\"}")))
          .isInstanceOf(SchemaRegistryException.class)
          .extracting(e -> ((SchemaRegistryException) e).status())
          .isEqualTo(409);
    }
  }

  @Test
  void answersErrorsWithConfluentCodes() throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(vertx, settings, "127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, registry.url() + "/subjects/missing/versions"))
          .contains("\"error_code\":40401");
      assertThat(get(http, registry.url() + "/schemas/ids/99999")).contains("\"error_code\":40403");
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/x/versions"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"{not avro\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("42201");
      assertThat(get(http, registry.url() + "/config")).contains("BACKWARD");
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }
}
