package dev.tollgate.bench;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.platform.governance.ConfigEntity;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.router.RouterService;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The router hop alone: requests produced to {@code llm-requests} at a set rate, routed requests
 * read from {@code llm-requests-openai} (read-committed). Latency is produce to consume, the hop as
 * a backend job sees it; run it with {@code --set router.processing-guarantee=exactly_once_v2} (and
 * {@code router.commit-interval}) to see what exactly-once costs, and with {@code --set
 * bench.governed=true} to give the eight teams rate limits and a daily budget (never reached), so
 * every request also passes the token buckets and the budget reservation; with {@code --set
 * bench.vouched=true} requests come as ingest-api sends them, a key hash signed with the gateway's
 * secret (decision 0028), instead of a backend job's key.
 */
final class RouterScenario implements Scenario {

  private static final String ROUTED = "llm-requests-openai";
  private static final int TEAMS = 8;

  private final BenchCluster cluster;
  private final RouterService router;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final KafkaConsumer<String, byte[]> routed;
  private final boolean vouched;
  private long sequence;

  RouterScenario(Map<String, String> overrides) {
    cluster = new BenchCluster(overrides);
    ServiceContext ctx = ServiceContext.create(cluster.settings, cluster.vertx);
    GatewayKeys keys = GatewayKeys.from(cluster.settings);
    for (int team = 0; team < TEAMS; team++) {
      keys = keys.with("bench-key-" + team, "team-" + team, secret("team-" + team));
    }
    Properties producerProps = ctx.kafka().clientProperties("bench-producer");
    producerProps.put("linger.ms", "1");
    vouched = cluster.settings.find("bench.vouched").map(Boolean::parseBoolean).orElse(false);
    producer =
        new KafkaProducer<>(
            producerProps,
            new StringSerializer(),
            vouched
                ? Vouch.from(cluster.settings).signing(ctx.serdes().anySerializer())
                : ctx.serdes().anySerializer());
    ctx.ensureTopics();
    // The router answers only on reply topics that exist: each team's default one.
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    List<NewTopic> replyTopics = new ArrayList<>();
    for (int team = 0; team < TEAMS; team++) {
      Topics topics = ctx.kafka().topics();
      replyTopics.add(
          admin.topic(Topics.defaultReplyTopic(topics.teamReplyPrefix("team-" + team)).name()));
    }
    admin.ensure(replyTopics);
    if (cluster.settings.find("bench.governed").map(Boolean::parseBoolean).orElse(false)) {
      govern(ctx);
    }
    router = RouterService.start(ctx, keys);
    routed = BenchCluster.tail(ctx.kafka().clientProperties("bench-routed"), ROUTED);
  }

  @Override
  public RunResult run(int count, int ratePerSecond, Duration limit) {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Histogram latency = new Histogram(3_600_000_000L, 3);
    ProcessStats stats = new ProcessStats();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Thread sender =
        new Thread(
            () -> {
              Pacer pacer = new Pacer(ratePerSecond);
              for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                pacer.awaitNext();
                LlmRequest request = request("r" + sequence++);
                sentAt.put(request.getRequestId(), System.nanoTime());
                ProducerRecord<String, SpecificRecord> record =
                    new ProducerRecord<>(
                        Topics.standard().requests().name(), request.getTeamId(), request);
                String secret = secret(request.getTeamId());
                if (vouched) {
                  record
                      .headers()
                      .add(
                          RequestHeaders.KEY_SHA256,
                          KeyHash.sha256(secret).getBytes(StandardCharsets.UTF_8));
                } else {
                  record
                      .headers()
                      .add(RequestHeaders.API_KEY, secret.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record);
              }
              producer.flush();
            },
            "bench-sender");
    sender.start();
    long received = 0;
    while (received < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : routed.poll(Duration.ofMillis(50))) {
        Long sent = sentAt.remove(record.key());
        if (sent != null) {
          received++;
          latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
        }
      }
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return RunResult.of(received, count - received, seconds, latency, stats);
  }

  private static String secret(String team) {
    return "bench-secret-" + team;
  }

  /** Limits and a budget for every team, high enough never to refuse. */
  private void govern(ServiceContext ctx) {
    for (int team = 0; team < TEAMS; team++) {
      TeamConfig config =
          TeamConfig.newBuilder()
              .setTeamId("team-" + team)
              .setLimits(new Limits(1_000_000_000L, 100_000_000_000L))
              .setBudgets(List.of(new Budget(BudgetPeriod.DAY, 1_000_000_000_000L, List.of())))
              .build();
      GatewayConfigEntry entry = new GatewayConfigEntry(config, Instant.now(), "bench");
      producer.send(
          new ProducerRecord<>(
              ctx.kafka().topics().gatewayConfig().name(), ConfigEntity.of(entry), entry));
    }
    producer.flush();
  }

  private static LlmRequest request(String id) {
    Instant now = Instant.now();
    return LlmRequest.newBuilder()
        .setRequestId(id)
        .setTeamId("team-" + Math.floorMod(id.hashCode(), TEAMS))
        .setKeyId("bench-key")
        .setModel("gpt-4o-mini")
        .setMessages(
            List.of(
                ChatMessage.newBuilder()
                    .setRole("user")
                    .setContent("Say hello in one word.")
                    .build()))
        .setParams(GenerationParams.newBuilder().setMaxTokens(16).build())
        .setCreatedAt(now)
        .setDeadlineAt(now.plusSeconds(600))
        .build();
  }

  @Override
  public void close() throws Exception {
    routed.close();
    producer.close();
    router.close();
    cluster.close();
  }
}
