package dev.tollgate.bench;

import dev.tollgate.launcher.LocalStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;

/**
 * Interactive requests over HTTP with and without a batch running beside them, on one stack: each
 * run measures the interactive load alone (the baseline), then starts a batch of {@code
 * bench.batch-lines} lines (10,000 by default) through the Batch API and sends the same load again,
 * measured only while the batch runs: it stops when the batch ends (or after {@code count}
 * requests). The result is the interactive latency during the batch; its notes hold the baseline
 * and the batch's time and throughput, and the p99s over all runs so far after the warm-up, alone
 * and during a batch: a run's p99 is its ~9th-slowest request, the pooled one rests on all of them.
 */
final class BatchScenario implements Scenario {

  private static final String BOUNDARY = "tollgate-bench-boundary";

  private final GatewayScenario interactive;
  private final int lines;
  private final ExecutorService watcher = Executors.newSingleThreadExecutor();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Histogram pooledAlone = new Histogram(3);
  private Histogram pooledDuring = new Histogram(3);
  private int pooledRuns;

  BatchScenario(Duration mockLatency, int maxInFlight, Map<String, String> overrides) {
    Map<String, String> settings = new LinkedHashMap<>(overrides);
    lines = Integer.parseInt(settings.getOrDefault("bench.batch-lines", "10000"));
    interactive =
        new GatewayScenario(GatewayScenario.Route.HTTP, mockLatency, maxInFlight, settings);
  }

  @Override
  public RunResult run(int count, int ratePerSecond, Duration limit) {
    RunResult alone = interactive.run(count, ratePerSecond, limit, () -> false, pooledAlone);
    String fileId = upload();
    long start = System.nanoTime();
    String batchId = call("POST", "/batches", batchBody(fileId)).getString("id");
    CompletableFuture<JsonObject> ended =
        CompletableFuture.supplyAsync(() -> awaitEnd(batchId, start + limit.toNanos()), watcher);
    // Only requests sent while the batch runs are measured: the load stops when the batch ends.
    RunResult during = interactive.run(count, ratePerSecond, limit, ended::isDone, pooledDuring);
    pooledRuns++;
    int doneDuringLoad = finished(call("GET", "/batches/" + batchId, null));
    JsonObject batch = ended.join();
    // The batch's own timestamps say how long it ran (whole seconds, as the API gives them).
    double seconds =
        batch.getLong("completed_at") != null
            ? batch.getLong("completed_at") - batch.getLong("created_at")
            : (System.nanoTime() - start) / 1e9;
    JsonObject counts = batch.getJsonObject("request_counts");
    Map<String, Double> notes = new LinkedHashMap<>();
    notes.put("baseline_p50_ms", alone.p50Ms());
    notes.put("baseline_p99_ms", alone.p99Ms());
    notes.put("p99_increase_pct", 100 * (during.p99Ms() / alone.p99Ms() - 1));
    double pooledAloneP99 = pooledAlone.getValueAtPercentile(99) / 1000.0;
    double pooledDuringP99 = pooledDuring.getValueAtPercentile(99) / 1000.0;
    notes.put("pooled_runs", (double) pooledRuns);
    notes.put("pooled_baseline_p99_ms", pooledAloneP99);
    notes.put("pooled_p99_ms", pooledDuringP99);
    notes.put("pooled_p99_increase_pct", 100 * (pooledDuringP99 / pooledAloneP99 - 1));
    notes.put("batch_lines", (double) lines);
    notes.put("batch_completed", counts.getDouble("completed"));
    notes.put("batch_failed", counts.getDouble("failed"));
    notes.put("batch_lines_done_during_load", (double) doneDuringLoad);
    notes.put("batch_seconds", seconds);
    notes.put("batch_lines_per_second", finished(batch) / seconds);
    return during.withNotes(notes);
  }

  @Override
  public void warmedUp() {
    pooledAlone = new Histogram(3);
    pooledDuring = new Histogram(3);
    pooledRuns = 0;
  }

  /** Polls the batch until it is completed or the deadline passes; its last state. */
  private JsonObject awaitEnd(String batchId, long deadlineNanos) {
    JsonObject batch = call("GET", "/batches/" + batchId, null);
    while (!"completed".equals(batch.getString("status")) && System.nanoTime() < deadlineNanos) {
      pause();
      batch = call("GET", "/batches/" + batchId, null);
    }
    return batch;
  }

  private static int finished(JsonObject batch) {
    JsonObject counts = batch.getJsonObject("request_counts");
    return counts.getInteger("completed") + counts.getInteger("failed");
  }

  private String upload() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n");
    write(body, "batch\r\n--" + BOUNDARY + "\r\n");
    write(
        body,
        "Content-Disposition: form-data; name=\"file\"; filename=\"bench.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n");
    for (int i = 0; i < lines; i++) {
      write(body, line(i) + "\n");
    }
    write(body, "\r\n--" + BOUNDARY + "--\r\n");
    return send(HttpRequest.newBuilder(URI.create(stack().apiUrl() + "/files"))
            .header("Authorization", "Bearer " + stack().demoKey())
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build())
        .getString("id");
  }

  private JsonObject call(String method, String path, JsonObject body) {
    return send(
        HttpRequest.newBuilder(URI.create(stack().apiUrl() + path))
            .header("Authorization", "Bearer " + stack().demoKey())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  private JsonObject send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(request.uri() + ": " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private LocalStack stack() {
    return interactive.stack();
  }

  private static JsonObject batchBody(String fileId) {
    return new JsonObject()
        .put("input_file_id", fileId)
        .put("endpoint", "/v1/chat/completions")
        .put("completion_window", "24h");
  }

  private static String line(int i) {
    return new JsonObject()
        .put("custom_id", "line-" + i)
        .put("method", "POST")
        .put("url", "/v1/chat/completions")
        .put(
            "body",
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("max_tokens", 16)
                .put(
                    "messages",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("role", "user")
                                .put("content", "Summarise item " + i + " in one word."))))
        .encode();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void pause() {
    try {
      // Polls the batch's status; the batch takes seconds, so a 200 ms poll costs nothing.
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    watcher.shutdownNow();
    interactive.close();
  }
}
