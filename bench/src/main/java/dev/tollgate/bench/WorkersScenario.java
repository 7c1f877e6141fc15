package dev.tollgate.bench;

import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.mock.MockPrices;
import dev.tollgate.mock.MockProvider;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.workers.WorkerService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The provider workers alone: routed requests pre-loaded on {@code llm-requests-openai}, a worker
 * with {@code workers.max-in-flight} calls in flight against the mock provider at a set latency,
 * replies read back (read-committed). Throughput is requests over the time from the first publish
 * to the last reply; latency is publish to reply, per request.
 */
final class WorkersScenario implements Scenario {

  private static final String REPLIES = "bench-worker-replies";

  private final BenchCluster cluster;
  private final MockProvider mock;
  private final ServiceContext ctx;
  private final WorkerService workers;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final KafkaConsumer<String, byte[]> replies;
  private final AvroSerde<LlmReply> replySerde;
  private long sequence;

  WorkersScenario(Duration mockLatency, int maxInFlight, Map<String, String> overrides) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("workers.max-in-flight", Integer.toString(maxInFlight));
    settings.put("workers.bulkhead.max-concurrent", Integer.toString(maxInFlight));
    settings.putAll(overrides);
    cluster = new BenchCluster(settings);
    mock =
        MockProvider.start(
            cluster.vertx,
            MockPrices.bundled().orCatalog(ModelCatalog.load(cluster.settings)),
            "127.0.0.1",
            0,
            mockLatency);
    ctx =
        ServiceContext.create(
            cluster.settings.with("providers.openai.base-url", mock.baseUrl("openai")),
            cluster.vertx);
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(List.of(admin.topic(REPLIES)));
    workers = WorkerService.start(ctx, List.of("openai"), Map.of(), "bench-key");
    Properties producerProps = ctx.kafka().clientProperties("bench-producer");
    producerProps.put("linger.ms", "2");
    producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), ctx.serdes().anySerializer());
    replies = BenchCluster.tail(ctx.kafka().clientProperties("bench-replies"), REPLIES);
    replySerde = ctx.serdes().of(LlmReply.class);
  }

  /** Publishes {@code count} requests at once and waits (at most {@code limit}) for replies. */
  @Override
  public RunResult run(int count, int ratePerSecond, Duration limit) {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Histogram latency = new Histogram(3_600_000_000L, 3);
    ProcessStats stats = new ProcessStats();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      RoutedRequest request = request("b" + sequence++);
      String id = request.getRequest().getRequestId();
      sentAt.put(id, System.nanoTime());
      producer.send(
          new ProducerRecord<>(
              ctx.kafka().topics().providerRequests("openai").name(), id, request));
    }
    producer.flush();
    long errors = 0;
    long received = 0;
    long deadline = start + limit.toNanos();
    while (received < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : replies.poll(Duration.ofMillis(100))) {
        Long sent = sentAt.remove(record.key());
        if (sent == null) {
          continue;
        }
        received++;
        latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
        if (replySerde.deserialize(REPLIES, record.value()).getError() != null) {
          errors++;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return RunResult.of(received, errors + (count - received), seconds, latency, stats);
  }

  private static RoutedRequest request(String id) {
    Instant now = Instant.now();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId("bench")
            .setKeyId("bench-key")
            .setModel("gpt-4o-mini")
            .setMessages(
                List.of(
                    ChatMessage.newBuilder()
                        .setRole("user")
                        .setContent("Say hello in one word.")
                        .build()))
            .setParams(GenerationParams.newBuilder().setMaxTokens(16).build())
            .setReplyTo(REPLIES)
            .setCreatedAt(now)
            .setDeadlineAt(now.plusSeconds(600))
            .build();
    return RoutedRequest.newBuilder()
        .setRequest(request)
        .setPlan(
            List.of(
                dev.tollgate.schemas.DeploymentRef.newBuilder()
                    .setDeploymentId("openai-gpt-4o-mini")
                    .setProvider("openai")
                    .setProviderModel("gpt-4o-mini")
                    .build()))
        .setRoutedAt(now)
        .build();
  }

  @Override
  public void close() throws Exception {
    replies.close();
    producer.close();
    workers.close();
    mock.close();
    cluster.close();
  }
}
