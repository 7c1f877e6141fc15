package dev.tollgate.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockProvider;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on a real broker against the mock provider over HTTP: a served request, a fallback past a
 * dead provider, a request nobody can serve, and a poison record.
 */
class WorkerServiceIntegrationTest {

  @TempDir static Path dir;
  private static WorkerFixture fx;
  private static MockProvider mock;
  private static KafkaProducer<String, SpecificRecord> producer;
  private static WorkerService workers;

  @BeforeAll
  static void start() throws Exception {
    fx =
        new WorkerFixture(
            dir,
            Stream.of("fallback", "doomed", "poison", "retry", "outage", "quota")
                .map(name -> "replies-" + name)
                .toArray(String[]::new));
    mock = fx.mock;
    producer = fx.producer;
    workers = fx.startWorkers();
  }

  @AfterAll
  static void stop() throws Exception {
    workers.close();
    fx.close();
  }

  @Test
  void fallsBackPastADeadProviderAndBillsTheCallThatServed() throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-dead",
                "f1",
                routed("f1", "resilient", "replies-fallback", "gone", "live")))
        .get();

    LlmReply reply = read("replies-fallback", LlmReply.class, 1).get(0);
    assertThat(reply.getError()).isNull();
    assertThat(reply.getDeploymentId()).isEqualTo("live");
    assertThat(reply.getAttempts())
        .extracting(a -> a.getOutcome())
        .containsExactly(
            AttemptOutcome.NOT_CONNECTED,
            AttemptOutcome.NOT_CONNECTED,
            AttemptOutcome.NOT_CONNECTED,
            AttemptOutcome.SUCCESS);
    assertThat(reply.getCompletion().getChoices().get(0).getMessage().getContent())
        .isEqualTo("Mock reply to: Hi");

    List<UsageEvent> usage =
        read("usage-events", UsageEvent.class, 8).stream()
            .filter(u -> u.getRequestId().equals("f1"))
            .toList();
    // Every call announced before it was made, then resolved: three failed, one billed.
    assertThat(usage).filteredOn(u -> u.getKind() == UsageKind.IN_DOUBT).hasSize(4);
    assertThat(usage).filteredOn(u -> u.getKind() == UsageKind.FAILED).hasSize(3);
    assertThat(usage.stream().map(UsageEvent::getCallId).distinct()).hasSize(4);
    assertThat(usage)
        .filteredOn(u -> u.getKind() == UsageKind.BILLED)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getCostMicros()).isEqualTo(reply.getCostMicros());
              assertThat(u.getAttempt()).isEqualTo(4);
              assertThat(u.getTeamId()).isEqualTo("team");
            });
    assertThat(mock.ledger().entries())
        .anySatisfy(e -> assertThat(e.costMicros()).isEqualTo(reply.getCostMicros()));
  }

  @Test
  void aRequestNobodyCanServeGetsOneErrorReplyAndOneDeadLetter() throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-dead", "d1", routed("d1", "doomed", "replies-doomed", "gone")))
        .get();

    LlmReply reply = read("replies-doomed", LlmReply.class, 1).get(0);
    assertThat(reply.getError().getHttpStatus()).isEqualTo(504);
    assertThat(reply.getError().getMessage())
        .contains("after 3 attempt(s)")
        .doesNotContain("test-key");
    List<DeadLetter> letters =
        read("llm-requests-dlq", DeadLetter.class, 1).stream()
            .filter(l -> l.getRequest() != null && l.getRequest().getRequestId().equals("d1"))
            .toList();
    assertThat(letters).hasSize(1);
    assertThat(fx.read("replies-doomed", LlmReply.class, 2, Duration.ofSeconds(3)))
        .as("exactly one reply")
        .hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getSourceTopic()).isEqualTo("llm-requests-dead");
    assertThat(letter.getAttempts()).hasSize(3);
  }

  @Test
  void retriesATransientErrorAndBillsOnlyTheCallThatServed() throws Exception {
    mock.addFault(
        new JsonObject()
            .put("model", "gpt-4o")
            .put("count", 1)
            .put("error_rates", new JsonObject().put("503", 1.0)));
    int billedBefore = mock.ledger().entries().size();

    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-openai",
                "t1",
                routed("t1", "resilient", "replies-retry", "big", "live")))
        .get();

    LlmReply reply = read("replies-retry", LlmReply.class, 1).get(0);
    assertThat(reply.getDeploymentId()).isEqualTo("big");
    assertThat(reply.getAttempts())
        .extracting(a -> a.getOutcome())
        .containsExactly(AttemptOutcome.RETRYABLE_ERROR, AttemptOutcome.SUCCESS);
    assertThat(reply.getAttempts().get(0).getHttpStatus()).isEqualTo(503);
    assertThat(mock.ledger().entries()).hasSize(billedBefore + 1);
    assertThat(read("provider-health", ProviderHealth.class, 2))
        .filteredOn(h -> h.getDeploymentId().equals("big"))
        .extracting(ProviderHealth::getOutcome)
        .contains(AttemptOutcome.RETRYABLE_ERROR, AttemptOutcome.SUCCESS);
  }

  @Test
  void anOutageOfThePrimaryFallsBackToTheBackup() throws Exception {
    mock.addFault(new JsonObject().put("model", "gpt-4o").put("outage_ms", 60_000));
    try {
      producer
          .send(
              new ProducerRecord<>(
                  "llm-requests-openai",
                  "o1",
                  routed("o1", "resilient", "replies-outage", "big", "live")))
          .get();

      LlmReply reply = read("replies-outage", LlmReply.class, 1).get(0);
      assertThat(reply.getError()).isNull();
      assertThat(reply.getDeploymentId()).isEqualTo("live");
      assertThat(reply.getAttempts()).hasSize(4);
    } finally {
      mock.clearFaults();
    }
  }

  @Test
  void quotaExhaustionIsNotRetriedButFallsBack() throws Exception {
    mock.addFault(
        new JsonObject()
            .put("model", "gpt-4o")
            .put("count", 1)
            .put("error_rates", new JsonObject().put("429", 1.0)));
    // The mock's 429 carries type "injected_fault"; a spend limit would carry insufficient_quota.
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-openai",
                "q1",
                routed("q1", "resilient", "replies-quota", "big", "live")))
        .get();

    LlmReply reply = read("replies-quota", LlmReply.class, 1).get(0);
    assertThat(reply.getDeploymentId()).isEqualTo("big");
    assertThat(reply.getAttempts()).hasSize(2);
  }

  @Test
  void poisonRecordsAreDeadLetteredAndTheWorkerKeepsGoing() throws Exception {
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(
            fx.ctx.kafka().clientProperties("raw"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>("llm-requests-openai", "junk", new byte[] {9, 9, 9})).get();
    }
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-openai", "p1", routed("p1", "resilient", "replies-poison", "live")))
        .get();

    assertThat(read("replies-poison", LlmReply.class, 1).get(0).getError()).isNull();
    assertThat(read("llm-requests-dlq", DeadLetter.class, 1))
        .anySatisfy(
            l -> {
              assertThat(l.getSourceKey()).isEqualTo("junk");
              assertThat(l.getReason()).startsWith("undecodable");
            });
    assertThat(workers.isHealthy()).isTrue();
  }

  @Test
  void aReplyTopicThatDoesNotExistFailsOnlyItsRequestWithoutCallingTheProvider() throws Exception {
    int billedBefore = mock.ledger().entries().size();
    long t0 = System.nanoTime();
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-openai", "m1", routed("m1", "resilient", "replies-missing", "live")))
        .get();
    producer
        .send(
            new ProducerRecord<>(
                "llm-requests-openai", "m2", routed("m2", "resilient", "replies-poison", "live")))
        .get();

    assertThat(read("replies-poison", LlmReply.class, 2))
        .anySatisfy(r -> assertThat(r.getRequestId()).isEqualTo("m2"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(fx.read("llm-requests-dlq", DeadLetter.class, 1_000, Duration.ofSeconds(3)))
        .filteredOn(l -> l.getRequest() != null)
        .anySatisfy(
            l -> {
              assertThat(l.getRequest().getRequestId()).isEqualTo("m1");
              assertThat(l.getReason())
                  .isEqualTo("reply topic unusable: topic 'replies-missing' does not exist");
            });
    assertThat(fx.read("usage-events", UsageEvent.class, 1_000, Duration.ofSeconds(3)))
        .anySatisfy(
            u -> {
              assertThat(u.getRequestId()).isEqualTo("m1");
              assertThat(u.getKind()).isEqualTo(UsageKind.REQUEST_FAILED);
            });
    assertThat(mock.ledger().entries()).as("only m2 was billed").hasSize(billedBefore + 1);
    assertThat(workers.isHealthy()).isTrue();
  }

  private static RoutedRequest routed(
      String id, String model, String replyTo, String... deployments) {
    return fx.routed(id, model, replyTo, deployments);
  }

  private static <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int count) {
    return fx.read(topic, type, count);
  }
}
