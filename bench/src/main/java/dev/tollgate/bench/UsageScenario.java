package dev.tollgate.bench;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import dev.tollgate.usage.UsageService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The usage aggregator alone: billed usage events for 64 teams produced to {@code usage-events} (at
 * {@code --rate}, or as fast as possible), counted until every team's total on {@code
 * team-spend-total} (read-committed) shows them all. Requests/s here is events/s the aggregator
 * sustains end to end, exactly-once, into every table; the latency columns are of {@code GET
 * /v1/usage/teams/{team}}, asked 1,000 times after each run.
 */
final class UsageScenario implements Scenario {

  private static final int TEAMS = 64;
  private static final int QUERIES = 1_000;
  private static final String ADMIN = "bench-admin";

  private final BenchCluster cluster;
  private final UsageService usage;
  private final ServiceContext ctx;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final KafkaConsumer<String, byte[]> totals;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Long> expectedCalls = new HashMap<>();
  private long sequence;

  UsageScenario(Map<String, String> overrides) {
    cluster = new BenchCluster(overrides);
    ctx = ServiceContext.create(cluster.settings, cluster.vertx);
    usage = UsageService.start(ctx, GatewayKeys.from(cluster.settings).withAdminToken(ADMIN));
    Properties props = ctx.kafka().clientProperties("bench-usage-producer");
    props.put("linger.ms", "5");
    producer = new KafkaProducer<>(props, new StringSerializer(), ctx.serdes().anySerializer());
    totals =
        BenchCluster.tail(
            ctx.kafka().clientProperties("bench-totals"),
            ctx.kafka().topics().teamSpendTotals().name());
  }

  @Override
  public RunResult run(int count, int ratePerSecond, Duration limit) {
    ProcessStats stats = new ProcessStats();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Pacer pacer = new Pacer(ratePerSecond);
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      pacer.awaitNext();
      String team = "team-" + (i % TEAMS);
      expectedCalls.merge(team, 1L, Long::sum);
      producer.send(
          new ProducerRecord<>(
              ctx.kafka().topics().usageEvents().name(), team, event(team, "call-" + sequence++)));
    }
    producer.flush();
    Map<String, Long> seen = new HashMap<>();
    var deserializer = ctx.serdes().of(TeamSpend.class).deserializer();
    while (!seen.equals(expectedCalls) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : totals.poll(Duration.ofMillis(50))) {
        TeamSpend total = deserializer.deserialize(record.topic(), record.value());
        seen.merge(record.key(), total.getCalls(), Math::max);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long counted = seen.values().stream().mapToLong(Long::longValue).sum();
    long expected = expectedCalls.values().stream().mapToLong(Long::longValue).sum();
    long missing = Math.max(0, expected - counted);
    return RunResult.of(count - missing, missing, seconds, queryLatency(), stats);
  }

  /** Query latency in microseconds, over {@value #QUERIES} sequential team queries. */
  private Histogram queryLatency() {
    Histogram latency = new Histogram(60_000_000L, 3);
    for (int i = 0; i < QUERIES; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + usage.port() + "/v1/usage/teams/team-" + (i % TEAMS)))
              .header("Authorization", "Bearer " + ADMIN)
              .build();
      long t0 = System.nanoTime();
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      latency.recordValue((System.nanoTime() - t0) / 1000);
    }
    return latency;
  }

  private static UsageEvent event(String team, String callId) {
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
        .setUsage(TokenUsage.newBuilder().setInputTokens(120).setOutputTokens(40).build())
        .setCostMicros(42)
        .setPriceVersion("bench")
        .setOccurredAt(Instant.now())
        .build();
  }

  @Override
  public void close() throws Exception {
    totals.close();
    producer.close();
    usage.close();
    cluster.close();
  }
}
