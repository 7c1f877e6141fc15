package dev.tollgate.workers.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockProvider;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.config.Settings;
import dev.tollgate.platform.kafka.EmbeddedKafka;
import dev.tollgate.platform.kafka.TopicAdmin;
import dev.tollgate.platform.registry.EmbeddedSchemaRegistry;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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

  private static final String CATALOG =
      """
      price_version: test
      providers:
        - {name: openai, api: openai, base_url: "http://unset", api_key_env: OPENAI_API_KEY}
        - {name: dead, api: openai, base_url: "http://127.0.0.1:9/v1", api_key_env: DEAD_API_KEY}
      deployments:
        - {id: live, provider: openai, model: gpt-4o-mini, context_window: 1000, max_output_tokens: 100,
           price: {input: 150000, output: 600000}}
        - {id: gone, provider: dead, model: gpt-4o-mini, context_window: 1000, max_output_tokens: 100,
           price: {input: 1, output: 1}}
        - {id: big, provider: openai, model: gpt-4o, context_window: 1000, max_output_tokens: 100,
           price: {input: 2500000, output: 10000000}}
      routes:
        - {model: resilient, deployments: [gone, live]}
        - {model: doomed, deployments: [gone]}
      """;

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;
  private static Vertx vertx;
  private static EmbeddedSchemaRegistry registry;
  private static MockProvider mock;
  private static ServiceContext ctx;
  private static WorkerService workers;
  private static KafkaProducer<String, SpecificRecord> producer;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.startTemporary();
    vertx = Vertx.vertx();
    registry = EmbeddedSchemaRegistry.startInMemory(vertx, "127.0.0.1", 0);
    Path catalog = Files.writeString(dir.resolve("catalog.yaml"), CATALOG);
    Settings settings =
        Settings.empty()
            .with("catalog.file", catalog.toString())
            .with("kafka.bootstrap-servers", kafka.bootstrapServers())
            .with("kafka.schema-registry-url", registry.url())
            .with("kafka.partitions", "2")
            .with("workers.retry.initial-backoff", "5ms")
            .with("workers.retry.max-backoff", "20ms")
            .with("workers.circuit.minimum-calls", "50");
    mock = MockProvider.start(vertx, ModelCatalog.load(settings), "127.0.0.1", 0, Duration.ZERO);
    ctx =
        ServiceContext.create(
            settings.with("providers.openai.base-url", mock.baseUrl("openai")), vertx);
    workers = WorkerService.start(ctx, List.of(), Map.of(), "test-key");
    // Reply topics belong to their readers and must exist before requests name them.
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(
        Stream.of("fallback", "doomed", "poison", "retry", "outage", "quota")
            .map(name -> admin.topic("replies-" + name))
            .toList());
    producer =
        new KafkaProducer<>(
            ctx.kafka().clientProperties("test"),
            new StringSerializer(),
            ctx.serdes().anySerializer());
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close();
    workers.close();
    mock.close();
    registry.close();
    vertx.close();
    kafka.close();
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
            AttemptOutcome.TIMEOUT,
            AttemptOutcome.TIMEOUT,
            AttemptOutcome.TIMEOUT,
            AttemptOutcome.SUCCESS);
    assertThat(reply.getCompletion().getChoices().get(0).getMessage().getContent())
        .isEqualTo("Mock reply to: Hi");

    List<UsageEvent> usage =
        read("usage-events", UsageEvent.class, 1).stream()
            .filter(u -> u.getRequestId().equals("f1"))
            .toList();
    assertThat(usage)
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
    DeadLetter letter =
        read("llm-requests-dlq", DeadLetter.class, 1).stream()
            .filter(l -> l.getRequest() != null && l.getRequest().getRequestId().equals("d1"))
            .findFirst()
            .orElseThrow();
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
            ctx.kafka().clientProperties("raw"),
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

  private static RoutedRequest routed(
      String id, String model, String replyTo, String... deployments) {
    ModelCatalog catalog = ctx.catalog();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId("team")
            .setKeyId("key")
            .setModel(model)
            .setMessages(List.of(ChatMessage.newBuilder().setRole("user").setContent("Hi").build()))
            .setParams(GenerationParams.newBuilder().build())
            .setReplyTo(replyTo)
            .setCreatedAt(Instant.now())
            .setDeadlineAt(Instant.now().plusSeconds(30))
            .build();
    List<dev.tollgate.schemas.DeploymentRef> plan = new ArrayList<>();
    for (String d : deployments) {
      plan.add(catalog.deployment(d).orElseThrow().ref());
    }
    return RoutedRequest.newBuilder()
        .setRequest(request)
        .setPlan(plan)
        .setRoutedAt(Instant.now())
        .build();
  }

  /** Reads {@code topic} from the start until at least {@code count} records or 30 s. */
  private static <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int count) {
    Properties props = ctx.kafka().clientProperties("reader");
    props.put("group.id", "reader-" + System.nanoTime());
    props.put("auto.offset.reset", "earliest");
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(ctx.serdes().of(type).deserialize(topic, r.value()));
        }
      }
    }
    return values;
  }
}
