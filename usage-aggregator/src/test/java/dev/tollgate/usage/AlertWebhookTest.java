package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.schemas.BudgetAlert;
import dev.tollgate.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Budget alerts reach the webhook, retried until it accepts them, each once when it does. */
class AlertWebhookTest {

  @Test
  void deliversEachAlertRetryingUntilAccepted() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              // The first try fails: the alert must come again.
                              if (calls.incrementAndGet() == 1) {
                                request.response().setStatusCode(500).end();
                                return;
                              }
                              received.add(request.getHeader("Idempotency-Key") + " " + body);
                              request.response().setStatusCode(204).end();
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
    try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
      KafkaSettings settings =
          KafkaSettings.from(
              Settings.empty().with("kafka.bootstrap-servers", kafka.bootstrapServers()));
      TopicAdmin admin = new TopicAdmin(settings);
      admin.ensure(List.of(admin.topic("budget-alerts")));
      try (KafkaProducer<String, BudgetAlert> producer =
          new KafkaProducer<>(
              settings.clientProperties("alert-test"),
              new StringSerializer(),
              serdes.of(BudgetAlert.class).serializer())) {
        producer.send(new ProducerRecord<>("budget-alerts", "acme", alert(50))).get();
        producer.send(new ProducerRecord<>("budget-alerts", "acme", alert(80))).get();
      }
      try (AlertWebhook webhook =
          new AlertWebhook(
                  settings.clientProperties("alert-webhook-test"),
                  "alert-webhook-test",
                  serdes.on(settings.topics().budgetAlerts()),
                  URI.create("http://127.0.0.1:" + server.actualPort() + "/alerts"))
              .start()) {
        Await.until("two alerts posted", Duration.ofSeconds(30), () -> received.size() >= 2);
      }
    } finally {
      vertx.close();
    }
    assertThat(received).hasSize(2);
    assertThat(received.get(0))
        .startsWith("acme|day|2026-11-22|50 ")
        .contains("\"threshold_pct\":50");
    assertThat(received.get(1)).startsWith("acme|day|2026-11-22|80 ");
    assertThat(calls.get()).isEqualTo(3);
  }

  private static BudgetAlert alert(int pct) {
    return BudgetAlert.newBuilder()
        .setAlertId("acme|day|2026-11-22|" + pct)
        .setTeamId("acme")
        .setPeriod("day")
        .setPeriodId("2026-11-22")
        .setThresholdPct(pct)
        .setHardCapMicros(1_000_000)
        .setSpentMicros(10_000L * pct)
        .setCrossedAt(Instant.parse("2026-11-22T10:00:00Z"))
        .build();
  }
}
