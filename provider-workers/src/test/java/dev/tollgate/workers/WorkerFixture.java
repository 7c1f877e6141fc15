package dev.tollgate.workers;

import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.embedded.registry.EmbeddedSchemaRegistry;
import dev.tollgate.mock.MockPrices;
import dev.tollgate.mock.MockProvider;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.testkit.TopicReads;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real broker, an in-memory registry and the mock provider over HTTP, for worker tests: a catalog
 * with a live provider (the mock), a dead one (a closed port), and helpers to publish routed
 * requests and read what came out, read-committed, as the gateway's own readers do.
 */
final class WorkerFixture implements AutoCloseable {

  static final String CATALOG =
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

  final EmbeddedKafka kafka;
  final Vertx vertx;
  final EmbeddedSchemaRegistry registry;
  final MockProvider mock;
  final ServiceContext ctx;
  final KafkaProducer<String, SpecificRecord> producer;

  WorkerFixture(Path dir, String... replyTopics) throws Exception {
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
    mock = MockProvider.start(vertx, MockPrices.bundled(), "127.0.0.1", 0, Duration.ZERO);
    ctx =
        ServiceContext.create(
            settings.with("providers.openai.base-url", mock.baseUrl("openai")), vertx);
    ctx.ensureTopics();
    // Reply topics belong to their readers and must exist before requests name them.
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(Arrays.stream(replyTopics).map(admin::topic).toList());
    producer =
        new KafkaProducer<>(
            ctx.kafka().clientProperties("test"),
            new StringSerializer(),
            ctx.serdes().anySerializer());
  }

  WorkerService startWorkers() {
    return WorkerService.start(ctx, List.of(), java.util.Map.of(), "test-key");
  }

  /** Workers with one more setting. */
  WorkerService startWorkers(String key, String value) {
    return WorkerService.start(
        ServiceContext.create(ctx.settings().with(key, value), vertx),
        List.of(),
        java.util.Map.of(),
        "test-key");
  }

  void publish(String provider, RoutedRequest request) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                ctx.kafka()
                    .topics()
                    .providerRequests(provider, request.getRequest().getPriority())
                    .name(),
                request.getRequest().getRequestId(),
                request))
        .get();
  }

  RoutedRequest routed(String id, String model, String replyTo, String... deployments) {
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
            .setDeadlineAt(Instant.now().plusSeconds(60))
            .build();
    List<DeploymentRef> plan = new ArrayList<>();
    for (String d : deployments) {
      plan.add(ctx.catalog().deployment(d).orElseThrow().ref());
    }
    return RoutedRequest.newBuilder()
        .setRequest(request)
        .setPlan(plan)
        .setRoutedAt(Instant.now())
        .build();
  }

  /** Reads {@code topic}'s committed records from the start until {@code count} or 30 s. */
  <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int count) {
    return read(topic, type, count, Duration.ofSeconds(30));
  }

  /** Reads {@code topic}'s committed records from the start for at least {@code settle}. */
  <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int count, Duration limit) {
    return TopicReads.read(ctx.kafka().clientProperties("reader"), topic, count, limit).stream()
        .map(r -> ctx.serdes().of(type).deserialize(topic, r.value()))
        .toList();
  }

  @Override
  public void close() throws Exception {
    producer.close();
    mock.close();
    registry.close();
    vertx.close();
    kafka.close();
  }
}
