package dev.tollgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.formats.openai.BatchLines;
import dev.tollgate.platform.files.FileLines;
import dev.tollgate.platform.files.LineSource;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.BatchCancel;
import dev.tollgate.schemas.BatchCommand;
import dev.tollgate.schemas.BatchResult;
import dev.tollgate.schemas.BatchResults;
import dev.tollgate.schemas.BatchStatus;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.InputChunks;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Priority;
import dev.tollgate.schemas.StoredFile;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String BATCH = "batch_1";
  private static final Vouch VOUCH = new Vouch("a-test-signing-secret-of-32-chars!");
  private static final Duration TICK = Duration.ofMillis(200);

  private final Topics topics = Topics.standard();
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
  private final List<List<String>> chunks = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, BatchCommand> commands;
  private TestInputTopic<String, LlmReply> replies;
  private TestOutputTopic<String, LlmRequest> requests;
  private TestOutputTopic<String, BatchResult> results;
  private TestOutputTopic<String, Batch> batches;
  private TestOutputTopic<String, StoredFile> files;

  @BeforeEach
  void setUp() {
    BatchRunnerConfig config = new BatchRunnerConfig(2, Duration.ofMinutes(10), TICK, 0);
    LineSource source =
        new LineSource() {
          @Override
          public List<String> chunk(InputChunks file, int index) {
            return chunks.get(index);
          }

          @Override
          public void close() {}
        };
    Properties props = new Properties();
    props.put("application.id", "batch-test");
    props.put("bootstrap.servers", "unused:9092");
    props.put("statestore.cache.max.bytes", 0);
    driver =
        new TopologyTestDriver(
            BatchTopology.build(topics, serdes, VOUCH, config, () -> source), props, T0);
    commands =
        driver.createInputTopic(
            topics.batchCommands().name(),
            Serdes.String().serializer(),
            serdes.of(BatchCommand.class));
    replies =
        driver.createInputTopic(
            topics.batchReplies().name(), Serdes.String().serializer(), serdes.of(LlmReply.class));
    requests = output(topics.bulkRequests().name(), LlmRequest.class);
    results = output(topics.batchResults().name(), BatchResult.class);
    batches = output(topics.batches().name(), Batch.class);
    files = output(topics.batchFiles().name(), StoredFile.class);
  }

  private <V extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, V> output(
      String topic, Class<V> type) {
    return driver.createOutputTopic(topic, Serdes.String().deserializer(), serdes.of(type));
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void sendsLinesOnTheBulkLaneWithinTheLimitAndWritesEachAnswerOnce() {
    chunks.add(List.of(line("a"), line("b"), "not json"));
    chunks.add(List.of(line("d"), FileLines.oversized(line("e") + "x".repeat(2000), 2031)));
    create(5, T0.plus(Duration.ofHours(24)));

    tick();
    List<TestRecord<String, LlmRequest>> sent = requests.readRecordsToList();
    assertThat(sent)
        .extracting(r -> r.value().getRequestId())
        .containsExactly(BATCH + "/0", BATCH + "/1");
    LlmRequest first = sent.get(0).value();
    assertThat(first.getPriority()).isEqualTo(Priority.BULK);
    assertThat(first.getReplyTo()).isEqualTo(topics.batchReplies().name());
    assertThat(first.getTeamId()).isEqualTo("team-a");
    assertThat(sent.get(0).key()).isEqualTo("team-a");
    assertThat(
            new String(
                sent.get(0).headers().lastHeader(RequestHeaders.KEY_SHA256).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("hash-of-key");

    tick();
    assertThat(requests.isEmpty()).as("two in flight: nothing more is sent").isTrue();

    replies.pipeInput(BATCH + "/0", ok(BATCH + "/0"));
    replies.pipeInput(BATCH + "/0", ok(BATCH + "/0"));
    replies.pipeInput(BATCH + "/1", notFound(BATCH + "/1"));
    tick();
    // Line 2 is not JSON: it fails at once, and lines 3 and 4 take the two free places.
    assertThat(requests.readValuesToList())
        .extracting(LlmRequest::getRequestId)
        .containsExactly(BATCH + "/3");
    replies.pipeInput(BATCH + "/3", ok(BATCH + "/3"));
    tick();

    Map<Integer, BatchResult> byLine =
        results.readValuesToList().stream().collect(Collectors.toMap(BatchResult::getLine, r -> r));
    assertThat(byLine).hasSize(5);
    assertThat(byLine.values().stream().filter(BatchResult::getOk)).hasSize(2);
    JsonObject notFound = new JsonObject(byLine.get(1).getJson());
    assertThat(notFound.getString("custom_id")).isEqualTo("b");
    assertThat(notFound.getJsonObject("response").getInteger("status_code")).isEqualTo(404);
    assertThat(new JsonObject(byLine.get(2).getJson()).getJsonObject("error").getString("code"))
        .isEqualTo("invalid_line");
    JsonObject oversized = new JsonObject(byLine.get(4).getJson());
    assertThat(oversized.getString("custom_id")).isEqualTo("e");
    assertThat(oversized.getJsonObject("error").getString("message"))
        .contains("over the line size limit");

    Batch done = last(batches);
    assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(done.getCompleted()).isEqualTo(2);
    assertThat(done.getFailed()).isEqualTo(3);
    assertThat(done.getOutputFileId()).isEqualTo("file-" + BATCH + "-output");
    Map<String, StoredFile> published = files.readKeyValuesToMap();
    assertThat(published).containsOnlyKeys(done.getOutputFileId(), done.getErrorFileId());
    StoredFile errors = published.get(done.getErrorFileId());
    assertThat(errors.getLines()).isEqualTo(3);
    assertThat(((BatchResults) errors.getContent()).getErrors()).isTrue();
    assertThat(errors.getTeamId()).isEqualTo("team-a");
  }

  @Test
  void aCancelledBatchSendsNothingMoreAndEndsWhenItsLinesInFlightAreAnswered() {
    chunks.add(List.of(line("a"), line("b"), line("c"), line("d")));
    create(4, T0.plus(Duration.ofHours(24)));
    tick();
    assertThat(requests.readValuesToList()).hasSize(2);

    commands.pipeInput(BATCH, new BatchCommand(BATCH, new BatchCancel(T0)));
    assertThat(last(batches).getStatus()).isEqualTo(BatchStatus.CANCELLING);
    replies.pipeInput(BATCH + "/0", ok(BATCH + "/0"));
    tick();
    assertThat(requests.isEmpty()).isTrue();
    replies.pipeInput(BATCH + "/1", ok(BATCH + "/1"));

    Batch cancelled = last(batches);
    assertThat(cancelled.getStatus()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(cancelled.getCompleted()).isEqualTo(2);
    assertThat(cancelled.getCancelledAt()).isNotNull();
    assertThat(cancelled.getErrorFileId()).isNull();
  }

  @Test
  void anExpiredBatchFailsTheLinesItNeverSent() {
    chunks.add(List.of(line("a"), line("b"), line("c"), line("d"), line("e")));
    Instant now = T0;
    create(5, now.plusSeconds(2));
    tick();
    assertThat(requests.readValuesToList())
        .allSatisfy(r -> assertThat(r.getDeadlineAt()).isBeforeOrEqualTo(now.plusSeconds(2)));
    driver.advanceWallClockTime(Duration.ofSeconds(3));
    replies.pipeInput(BATCH + "/0", ok(BATCH + "/0"));
    replies.pipeInput(BATCH + "/1", ok(BATCH + "/1"));

    Batch expired = last(batches);
    assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
    assertThat(expired.getCompleted()).isEqualTo(2);
    assertThat(expired.getFailed()).isEqualTo(3);
    assertThat(results.readValuesToList())
        .filteredOn(r -> !r.getOk())
        .extracting(r -> new JsonObject(r.getJson()).getJsonObject("error").getString("code"))
        .containsOnly("batch_expired");
  }

  @Test
  void repliesThatAnswerNoBatchLineAreDropped() {
    chunks.add(List.of(line("a")));
    create(1, T0.plus(Duration.ofHours(24)));
    replies.pipeInput("chatcmpl-123", ok("chatcmpl-123"));
    replies.pipeInput("batch_other/0", ok("batch_other/0"));
    replies.pipeInput(BATCH + "/7", ok(BATCH + "/7"));
    tick();
    assertThat(results.isEmpty()).isTrue();
    assertThat(batches.isEmpty()).as("the batch did not change").isTrue();
  }

  private void create(int total, Instant expiresAt) {
    List<Long> offsets = new ArrayList<>();
    List<Integer> firstLines = new ArrayList<>();
    int first = 0;
    for (List<String> chunk : chunks) {
      offsets.add((long) offsets.size());
      firstLines.add(first);
      first += chunk.size();
    }
    Batch batch =
        Batch.newBuilder()
            .setId(BATCH)
            .setTeamId("team-a")
            .setKeyId("key-1")
            .setKeySha256("hash-of-key")
            .setInputFileId("file-1")
            .setInput(new InputChunks(0, offsets, firstLines))
            .setEndpoint(BatchLines.CHAT)
            .setCompletionWindow("24h")
            .setStatus(BatchStatus.VALIDATING)
            .setTotal(total)
            .setCreatedAt(T0)
            .setExpiresAt(expiresAt)
            .build();
    commands.pipeInput(BATCH, new BatchCommand(BATCH, batch));
    assertThat(last(batches).getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
  }

  private void tick() {
    driver.advanceWallClockTime(TICK);
  }

  private static <V> V last(TestOutputTopic<String, V> topic) {
    List<V> values = topic.readValuesToList();
    assertThat(values).isNotEmpty();
    return values.get(values.size() - 1);
  }

  private static String line(String customId) {
    return new JsonObject()
        .put("custom_id", customId)
        .put("method", "POST")
        .put("url", BatchLines.CHAT)
        .put(
            "body",
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put(
                    "messages",
                    List.of(new JsonObject().put("role", "user").put("content", "hi " + customId))))
        .encode();
  }

  private static LlmReply ok(String requestId) {
    return LlmReply.newBuilder()
        .setRequestId(requestId)
        .setTeamId("team-a")
        .setCompletion(
            Completion.newBuilder().setId("x").setCreated(1).setModel("gpt-4o-mini").build())
        .setUsage(TokenUsage.newBuilder().setInputTokens(3).setOutputTokens(2).build())
        .setRepliedAt(T0)
        .build();
  }

  private static LlmReply notFound(String requestId) {
    return LlmReply.newBuilder(ok(requestId))
        .setCompletion(null)
        .setError(Replies.errorOf(404, "invalid_request_error", "model_not_found", "no", "model"))
        .build();
  }
}
