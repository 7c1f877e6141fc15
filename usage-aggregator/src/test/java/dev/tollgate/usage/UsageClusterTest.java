package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.config.Settings;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.embedded.registry.EmbeddedSchemaRegistry;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import dev.tollgate.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two aggregator instances on a real broker: every team's usage is answered by either instance
 * (from its own partitions, a standby, or the other instance over HTTP), and the answers stay the
 * same after one instance stops.
 */
class UsageClusterTest {

  private static final String ADMIN = "cluster-admin";
  private static final int TEAMS = 8;

  @TempDir Path dir;

  private EmbeddedKafka kafka;
  private Vertx vertx;
  private EmbeddedSchemaRegistry registry;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    kafka = EmbeddedKafka.startTemporary();
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    registry = EmbeddedSchemaRegistry.startInMemory(vertx, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    kafka.close();
  }

  private UsageService instance(String name) {
    Settings settings =
        Settings.empty()
            .with("kafka.bootstrap-servers", kafka.bootstrapServers())
            .with("kafka.schema-registry-url", registry.url())
            .with("kafka.partitions", "4")
            .with("streams.state-dir", dir.resolve(name).toString());
    return UsageService.start(
        ServiceContext.create(settings, vertx), GatewayKeys.from(settings).withAdminToken(ADMIN));
  }

  @Test
  void eitherInstanceAnswersEveryTeamAndTheAnswersSurviveAStop() throws Exception {
    UsageService a = instance("a");
    UsageService b = instance("b");
    Map<String, Long> expected = new HashMap<>();
    ServiceContext ctx =
        ServiceContext.create(
            Settings.empty()
                .with("kafka.bootstrap-servers", kafka.bootstrapServers())
                .with("kafka.schema-registry-url", registry.url()),
            vertx);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            ctx.kafka().clientProperties("cluster-test"),
            new StringSerializer(),
            ctx.serdes().anySerializer())) {
      for (int i = 0; i < 200; i++) {
        String team = "team-" + (i % TEAMS);
        long cost = 1_000 + i;
        expected.merge(team, cost, Long::sum);
        producer.send(new ProducerRecord<>("usage-events", team, billed("call-" + i, team, cost)));
      }
    }

    for (Map.Entry<String, Long> team : expected.entrySet()) {
      assertThat(awaitCost(a, team.getKey(), team.getValue())).isEqualTo(team.getValue());
      assertThat(awaitCost(b, team.getKey(), team.getValue())).isEqualTo(team.getValue());
    }
    HttpResponse<String> list = get(a, "/v1/usage/teams");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(new JsonObject(list.body()).getJsonArray("data")).hasSize(TEAMS);

    a.close();
    for (Map.Entry<String, Long> team : expected.entrySet()) {
      assertThat(awaitCost(b, team.getKey(), team.getValue())).isEqualTo(team.getValue());
    }
    b.close();
  }

  /** The team's cost as {@code instance} answers it, once it answers with {@code expected}. */
  private long awaitCost(UsageService instance, String team, long expected) {
    Await.value(
        team + " at " + expected + " micro-USD",
        Duration.ofSeconds(60),
        () -> get(instance, "/v1/usage/teams/" + team),
        r -> r.statusCode() == 200 && new JsonObject(r.body()).getLong("cost_micros") == expected);
    return expected;
  }

  private HttpResponse<String> get(UsageService instance, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
            .header("Authorization", "Bearer " + ADMIN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static UsageEvent billed(String callId, String team, long cost) {
    return UsageEvent.newBuilder()
        .setCallId(callId)
        .setRequestId("req-" + callId)
        .setTeamId(team)
        .setKeyId(team + "-key")
        .setKind(UsageKind.BILLED)
        .setModel("gpt-4o-mini")
        .setProvider("openai")
        .setDeploymentId("openai-gpt-4o-mini")
        .setProviderModel("gpt-4o-mini")
        .setUsage(TokenUsage.newBuilder().setInputTokens(10).setOutputTokens(5).build())
        .setCostMicros(cost)
        .setPriceVersion("test")
        .setOccurredAt(Instant.now())
        .build();
  }
}
