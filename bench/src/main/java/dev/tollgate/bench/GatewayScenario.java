package dev.tollgate.bench;

import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.launcher.LocalStack;
import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole gateway in local mode (embedded broker and registry, router, worker, aggregator, ingest
 * API, mock provider in one JVM), driven three ways with the same chat request:
 *
 * <ul>
 *   <li>{@code direct}: straight to the mock provider's OpenAI endpoint, the baseline;
 *   <li>{@code http}: through the OpenAI-compatible API (the synchronous facade);
 *   <li>{@code kafka}: as a backend job, produced to {@code llm-requests} with the key in a header,
 *       replies read from the job's own topic.
 * </ul>
 *
 * Open loop at {@code --rate}, or closed loop with {@code --max-in-flight} requests outstanding;
 * latency per request from send to answer. The added latency of the gateway is a path's latency
 * minus {@code direct}'s at the same rate.
 */
final class GatewayScenario implements Scenario {

  enum Route {
    DIRECT,
    HTTP,
    KAFKA
  }

  private static final String REPLIES = "llm-replies-demo-bench";

  private final Route route;
  private final BenchStack bench;
  private final LocalStack stack;
  private final Semaphore inFlight;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final KafkaConsumer<String, byte[]> replies;
  private final AvroSerde<LlmReply> replySerde;
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private long sequence;

  GatewayScenario(
      Route route, Duration mockLatency, int maxInFlight, Map<String, String> overrides) {
    this.route = route;
    this.inFlight = new Semaphore(maxInFlight);
    bench =
        new BenchStack(
            Settings.empty().with("mock.latency", mockLatency.toMillis() + "ms"),
            overrides,
            REPLIES);
    stack = bench.stack();
    replySerde = bench.serdes().of(LlmReply.class);
    Properties consumerProps = bench.clientProperties();
    consumerProps.put("isolation.level", "read_committed");
    consumerProps.put("fetch.max.wait.ms", "5");
    replies =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        List.of(
            new TopicPartition(REPLIES, 0),
            new TopicPartition(REPLIES, 1),
            new TopicPartition(REPLIES, 2));
    replies.assign(partitions);
    replies.seekToEnd(partitions);
    partitions.forEach(replies::position);
  }

  LocalStack stack() {
    return stack;
  }

  @Override
  public RunResult run(int count, int ratePerSecond, Duration limit) {
    return run(count, ratePerSecond, limit, () -> false, new Histogram(3));
  }

  /**
   * As {@link #run(int, int, Duration)}, but stops sending as soon as {@code stop} says so, and
   * adds the run's latencies (microseconds) to {@code pooled}.
   */
  RunResult run(
      int count, int ratePerSecond, Duration limit, BooleanSupplier stop, Histogram pooled) {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ProcessStats stats = new ProcessStats();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Thread reader = route == Route.KAFKA ? startReader(latency, errors, done, deadline) : null;
    Pacer pacer = new Pacer(ratePerSecond);
    int sent = 0;
    try {
      for (; sent < count && System.nanoTime() < deadline && !stop.getAsBoolean(); sent++) {
        pacer.awaitNext();
        if (!inFlight.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          break;
        }
        send("b" + sequence++, latency, errors, done);
      }
      while (done.get() < sent && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (reader != null) {
        reader.interrupt();
        reader.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long answered = done.get();
    // Requests the time limit kept from being sent count as errors; those a stop spared do not.
    long unanswered = (stop.getAsBoolean() ? sent : count) - answered;
    synchronized (latency) {
      pooled.add(latency);
      return RunResult.of(
          answered - errors.get(), errors.get() + unanswered, seconds, latency, stats);
    }
  }

  private void send(String id, Histogram latency, AtomicLong errors, AtomicLong done) {
    long t0 = System.nanoTime();
    if (route == Route.KAFKA) {
      pending.put(id, t0);
      bench.sendJobRequest(id, "gpt-4o-mini", PROMPT);
      return;
    }
    boolean direct = route == Route.DIRECT;
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    (direct ? stack.mock().baseUrl("openai") : stack.apiUrl())
                        + "/chat/completions"))
            .header("Authorization", "Bearer " + (direct ? "bench-key" : stack.demoKey()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, e) -> {
              if (e != null || response.statusCode() != 200) {
                errors.incrementAndGet();
              }
              finish(t0, latency, done);
            });
  }

  private Thread startReader(Histogram latency, AtomicLong errors, AtomicLong done, long deadline) {
    Thread reader =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : replies.poll(Duration.ofMillis(20))) {
                  Long t0 = pending.remove(r.key());
                  if (t0 == null) {
                    continue;
                  }
                  if (replySerde.deserialize(r.topic(), r.value()).getError() != null) {
                    errors.incrementAndGet();
                  }
                  finish(t0, latency, done);
                }
              }
            },
            "bench-replies");
    reader.start();
    return reader;
  }

  private void finish(long t0, Histogram latency, AtomicLong done) {
    synchronized (latency) {
      latency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
    }
    done.incrementAndGet();
    inFlight.release();
  }

  private static final String PROMPT = "Say hello in one word.";
  private static final String BODY =
      new JsonObject()
          .put("model", "gpt-4o-mini")
          .put("max_tokens", 16)
          .put(
              "messages",
              new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)))
          .encode();

  @Override
  public void close() throws Exception {
    replies.close();
    bench.close();
  }
}
