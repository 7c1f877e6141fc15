package dev.tollgate.batch;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.formats.openai.BatchLines;
import dev.tollgate.platform.files.LineSource;
import dev.tollgate.platform.streams.Addressed;
import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.BatchAnswer;
import dev.tollgate.schemas.BatchResult;
import dev.tollgate.schemas.BatchResults;
import dev.tollgate.schemas.BatchStatus;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Priority;
import dev.tollgate.schemas.StoredFile;
import dev.tollgate.schemas.Topic;
import dev.tollgate.schemas.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the batches of one task. Commands (created, cancel, a line's answer) change a batch; every
 * {@link BatchRunnerConfig#tick()} each running batch sends more lines, up to {@link
 * BatchRunnerConfig#maxInFlight()} unanswered, as bulk requests under its creator's key, and
 * publishes its counts if they changed. Each answer becomes one line of the output or error file on
 * {@code batch-results}; a line that does not parse fails at once with the reason. When every line
 * sent is answered the batch finishes: its output and error files are published on {@code
 * batch-files} and its final status on {@code batches}.
 *
 * <p>Under exactly-once processing a line is sent once and answered once: the send, the line's
 * entry in the in-flight store and the batch's next line commit together, and so do an answer's
 * result line, the removal of the entry and the counts. A reply that finds no entry (a duplicate,
 * or the answer to a line of a finished batch) is dropped.
 */
final class BatchProcessor
    implements Processor<String, BatchInput, String, Addressed<SpecificRecord>>, BatchInput.Target {

  private static final Set<BatchStatus> RUNNING =
      Set.of(BatchStatus.IN_PROGRESS, BatchStatus.CANCELLING);

  /** The chunk of a batch's input file that its next lines come from. */
  private record CachedChunk(int index, List<String> lines) {}

  private final Topics topics;
  private final BatchRunnerConfig config;
  private final Supplier<LineSource> sources;
  private final BatchLines parser = new BatchLines();
  private final Map<String, CachedChunk> chunks = new HashMap<>();
  private final Set<String> changed = new HashSet<>();
  private ProcessorContext<String, Addressed<SpecificRecord>> context;
  private KeyValueStore<String, Batch> batches;
  private KeyValueStore<String, String> inFlight;
  private LineSource lines;

  BatchProcessor(Topics topics, BatchRunnerConfig config, Supplier<LineSource> sources) {
    this.topics = topics;
    this.config = config;
    this.sources = sources;
  }

  @Override
  public void init(ProcessorContext<String, Addressed<SpecificRecord>> context) {
    this.context = context;
    this.batches = context.getStateStore(BatchStores.BATCHES);
    this.inFlight = context.getStateStore(BatchStores.IN_FLIGHT);
    this.lines = sources.get();
    context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, BatchInput> record) {
    record.value().applyTo(this, record.key(), context.currentSystemTimeMs());
  }

  @Override
  public void created(Batch created, long now) {
    if (batches.get(created.getId()) != null) {
      return;
    }
    Batch batch =
        Batch.newBuilder(created)
            .setStatus(BatchStatus.IN_PROGRESS)
            .setInProgressAt(Instant.ofEpochMilli(now))
            .build();
    save(batch);
    publish(batch, now);
    finishIfDone(batch, now);
  }

  @Override
  public void cancelled(String id, long now) {
    Batch batch = batches.get(id);
    if (batch == null || batch.getStatus() != BatchStatus.IN_PROGRESS) {
      return;
    }
    batch.setStatus(BatchStatus.CANCELLING);
    batch.setCancellingAt(Instant.ofEpochMilli(now));
    save(batch);
    publish(batch, now);
    finishIfDone(batch, now);
  }

  @Override
  public void answered(String id, BatchAnswer answer, long now) {
    Batch batch = batches.get(id);
    String key = lineKey(id, answer.getLine());
    String customId = inFlight.get(key);
    if (batch == null || customId == null) {
      return;
    }
    inFlight.delete(key);
    LlmReply reply = answer.getReply();
    result(
        batch,
        answer.getLine(),
        reply.getError() == null,
        BatchLines.answered(customId, reply),
        now);
    save(batch);
    finishIfDone(batch, now);
  }

  private void tick(long now) {
    List<Batch> running = new ArrayList<>();
    try (KeyValueIterator<String, Batch> all = batches.all()) {
      while (all.hasNext()) {
        KeyValue<String, Batch> next = all.next();
        if (RUNNING.contains(next.value.getStatus())) {
          running.add(next.value);
        }
      }
    }
    for (Batch batch : running) {
      if (batch.getStatus() == BatchStatus.IN_PROGRESS && batch.getExpiredAt() == null) {
        if (now >= batch.getExpiresAt().toEpochMilli()) {
          expire(batch, now);
        } else {
          send(batch, now);
        }
        save(batch);
      }
      if (!finishIfDone(batch, now) && changed.remove(batch.getId())) {
        publish(batch, now);
      }
    }
  }

  /** Sends lines until the batch has its most in flight or none is left. */
  private void send(Batch batch, long now) {
    int room = config.maxInFlight() - inFlight(batch);
    while (room > 0 && batch.getNextLine() < batch.getTotal()) {
      int index = batch.getNextLine();
      batch.setNextLine(index + 1);
      String requestId = lineKey(batch.getId(), index);
      BatchLines.Line line;
      try {
        line = parser.parse(line(batch, index), batch.getEndpoint());
      } catch (BatchLines.BadLine e) {
        result(
            batch,
            index,
            false,
            BatchLines.failed(
                e.customId(),
                requestId,
                "invalid_line",
                "line " + (index + 1) + ": " + e.getMessage()),
            now);
        continue;
      }
      Instant sent = Instant.ofEpochMilli(now);
      Instant deadline = sent.plus(config.requestTimeout());
      LlmRequest request =
          line.request()
              .toRequest()
              .setRequestId(requestId)
              .setTeamId(batch.getTeamId())
              .setKeyId(batch.getKeyId())
              .setReplyTo(topics.batchReplies().name())
              .setCreatedAt(sent)
              .setDeadlineAt(
                  deadline.isBefore(batch.getExpiresAt()) ? deadline : batch.getExpiresAt())
              .setPriority(Priority.BULK)
              .build();
      RecordHeaders headers = new RecordHeaders();
      headers.add(RequestHeaders.KEY_SHA256, batch.getKeySha256().getBytes(StandardCharsets.UTF_8));
      context.forward(
          new Record<>(
              batch.getTeamId(),
              Addressed.<SpecificRecord, LlmRequest>to(topics.bulkRequests(), request),
              now,
              headers));
      inFlight.put(requestId, line.customId());
      room--;
    }
  }

  /** Fails every line not yet sent: the batch ran out of time. */
  private void expire(Batch batch, long now) {
    batch.setExpiredAt(Instant.ofEpochMilli(now));
    for (int index = batch.getNextLine(); index < batch.getTotal(); index++) {
      String text = line(batch, index);
      result(
          batch,
          index,
          false,
          BatchLines.failed(
              BatchLines.customId(text),
              lineKey(batch.getId(), index),
              "batch_expired",
              "This request could not be executed before the completion window expired."),
          now);
    }
    batch.setNextLine(batch.getTotal());
  }

  /**
   * Finishes the batch if nothing it sent is still unanswered and nothing is left to send (or it is
   * cancelled or expired): publishes its files and its final status.
   */
  private boolean finishIfDone(Batch batch, long now) {
    boolean stopped = batch.getStatus() == BatchStatus.CANCELLING || batch.getExpiredAt() != null;
    if (!RUNNING.contains(batch.getStatus())
        || inFlight(batch) > 0
        || (!stopped && batch.getNextLine() < batch.getTotal())) {
      return false;
    }
    Instant at = Instant.ofEpochMilli(now);
    batch.setStatus(BatchStatus.FINALIZING);
    batch.setFinalizingAt(at);
    publish(batch, now);
    if (batch.getCompleted() > 0) {
      batch.setOutputFileId(resultFile(batch, false, now));
    }
    if (batch.getFailed() > 0) {
      batch.setErrorFileId(resultFile(batch, true, now));
    }
    if (batch.getCancellingAt() != null) {
      batch.setStatus(BatchStatus.CANCELLED);
      batch.setCancelledAt(at);
    } else if (batch.getExpiredAt() != null) {
      batch.setStatus(BatchStatus.EXPIRED);
    } else {
      batch.setStatus(BatchStatus.COMPLETED);
      batch.setCompletedAt(at);
    }
    save(batch);
    publish(batch, now);
    chunks.remove(batch.getId());
    changed.remove(batch.getId());
    return true;
  }

  private String resultFile(Batch batch, boolean errors, long now) {
    String id = "file-" + batch.getId() + (errors ? "-errors" : "-output");
    StoredFile file =
        StoredFile.newBuilder()
            .setId(id)
            .setTeamId(batch.getTeamId())
            .setPurpose("batch_output")
            .setFilename(batch.getId() + (errors ? "_error.jsonl" : "_output.jsonl"))
            .setBytes(errors ? batch.getErrorBytes() : batch.getOutputBytes())
            .setLines(errors ? batch.getFailed() : batch.getCompleted())
            .setCreatedAt(Instant.ofEpochMilli(now))
            .setContent(new BatchResults(batch.getId(), errors, batch.getCreatedAt()))
            .build();
    forward(id, topics.batchFiles(), file, now);
    return id;
  }

  /** Writes one line of the output file ({@code ok}) or the error file, and counts it. */
  private void result(Batch batch, int index, boolean ok, JsonObject json, long now) {
    String text = json.encode();
    long bytes = text.getBytes(StandardCharsets.UTF_8).length + 1L;
    if (ok) {
      batch.setCompleted(batch.getCompleted() + 1);
      batch.setOutputBytes(batch.getOutputBytes() + bytes);
    } else {
      batch.setFailed(batch.getFailed() + 1);
      batch.setErrorBytes(batch.getErrorBytes() + bytes);
    }
    forward(
        batch.getId(), topics.batchResults(), new BatchResult(batch.getId(), index, ok, text), now);
    changed.add(batch.getId());
  }

  /** The text of line {@code index} of the batch's input file. */
  private String line(Batch batch, int index) {
    List<Integer> firstLines = batch.getInput().getFirstLines();
    int found = Collections.binarySearch(firstLines, index);
    int chunk = found >= 0 ? found : -found - 2;
    CachedChunk cached = chunks.get(batch.getId());
    if (cached == null || cached.index() != chunk) {
      cached = new CachedChunk(chunk, lines.chunk(batch.getInput(), chunk));
      chunks.put(batch.getId(), cached);
    }
    return cached.lines().get(index - firstLines.get(chunk));
  }

  private static int inFlight(Batch batch) {
    return batch.getNextLine() - batch.getCompleted() - batch.getFailed();
  }

  static String lineKey(String batchId, int line) {
    return batchId + "/" + line;
  }

  private void save(Batch batch) {
    batches.put(batch.getId(), batch);
  }

  private void publish(Batch batch, long now) {
    forward(batch.getId(), topics.batches(), Batch.newBuilder(batch).build(), now);
  }

  private <V extends SpecificRecord> void forward(
      String key, Topic<String, V> topic, V value, long now) {
    context.forward(new Record<>(key, Addressed.to(topic, value), now, new RecordHeaders()));
  }

  @Override
  public void close() {
    if (lines != null) {
      lines.close();
    }
  }
}
