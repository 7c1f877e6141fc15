package dev.tollgate.launcher;

import dev.tollgate.client.ChatRequest;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.client.TollgateException;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.formats.openai.BatchLines;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an OpenAI Batch input file ({@code {"custom_id","method","url","body"}} per line) through
 * the gateway with the client library, appending one OpenAI batch output line per request to the
 * output file. A line already answered in the output file (by {@code custom_id}) is skipped, so
 * running the same command again resumes. A bad line is answered with its line number and the
 * reason, and the rest go on.
 */
final class BatchRun {

  /** What a run did. */
  record Summary(long submitted, long succeeded, long failed, long badLines, long skipped) {}

  private final TollgateClient client;
  private final int maxInFlight;
  private final Duration timeout;
  private final PrintStream progress;
  private final BatchLines parser = new BatchLines();

  BatchRun(TollgateClient client, int maxInFlight, Duration timeout, PrintStream progress) {
    this.client = client;
    this.maxInFlight = maxInFlight;
    this.timeout = timeout;
    this.progress = progress;
  }

  Summary run(Path input, Path output) throws IOException, InterruptedException {
    Set<String> done = answered(output);
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    List<Line> todo = new ArrayList<>();
    long skipped = 0;
    AtomicLong bad = new AtomicLong();
    try (BufferedWriter out =
        Files.newBufferedWriter(
            output, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        if (done.contains(BatchLines.customId(lines.get(i)))) {
          skipped++;
          continue;
        }
        Line line;
        try {
          line = parse(lines.get(i));
        } catch (BatchLines.BadLine e) {
          bad.incrementAndGet();
          write(
              out,
              BatchLines.failed(
                  e.customId(),
                  "line-" + (i + 1),
                  "invalid_line",
                  "line " + (i + 1) + ": " + e.getMessage()));
          continue;
        }
        if (!seen.add(line.customId())) {
          bad.incrementAndGet();
          write(
              out,
              BatchLines.failed(
                  line.customId(),
                  "line-" + (i + 1),
                  "duplicate_custom_id",
                  "line " + (i + 1) + ": custom_id seen earlier in the file"));
        } else {
          todo.add(line);
        }
      }
      Map<ChatRequest, String> customIds = new IdentityHashMap<>();
      todo.forEach(l -> customIds.put(l.request(), l.customId()));
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long start = System.nanoTime();
      client.submitAll(
          todo.stream().map(Line::request).iterator(),
          maxInFlight,
          result -> {
            String customId = customIds.get(result.request());
            if (result.error() == null) {
              ok.incrementAndGet();
              write(out, BatchLines.answered(customId, result.reply()));
            } else {
              failed.incrementAndGet();
              write(out, failureLine(customId, result.error()));
            }
            report(ok.get(), failed.get(), todo.size(), start);
          });
      progress.println();
      return new Summary(todo.size(), ok.get(), failed.get(), bad.get(), skipped);
    }
  }

  private void report(long ok, long failed, long total, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    long finished = ok + failed;
    double rate = finished / Math.max(seconds, 1e-3);
    long inFlight = Math.min(maxInFlight, total - finished);
    long eta = rate > 0 ? Math.round((total - finished) / rate) : -1;
    progress.printf(
        "\rdone %d / %d  failed %d  in flight %d  %.1f req/s  ETA %ds   ",
        finished, total, failed, inFlight, rate, eta);
  }

  private record Line(String customId, ChatRequest request) {}

  private Line parse(String text) throws BatchLines.BadLine {
    BatchLines.Line line = parser.parse(text, BatchLines.CHAT);
    ParsedRequest chat = line.request();
    return new Line(
        line.customId(),
        ChatRequest.of(chat.model(), chat.messages(), chat.params(), chat.metadata())
            .timeout(timeout));
  }

  /** The custom ids the output file already answers (bad lines included: they were answered). */
  private static Set<String> answered(Path output) throws IOException {
    Set<String> ids = new HashSet<>();
    if (!Files.exists(output)) {
      return ids;
    }
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      // A line cut short by an interrupted run has no id: its request runs again.
      String id = BatchLines.customId(line);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static JsonObject failureLine(String customId, TollgateException e) {
    JsonObject error =
        new JsonObject()
            .put("message", e.getMessage())
            .put("type", e.type())
            .put("param", (String) null)
            .put("code", e.code());
    return BatchLines.response(
        customId, customId, e.status(), new JsonObject().put("error", error));
  }

  private static void write(BufferedWriter out, JsonObject line) {
    synchronized (out) {
      try {
        out.write(line.encode());
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
