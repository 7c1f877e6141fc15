package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.tollgate.core.config.Settings;
import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI Batch API on the whole local stack, through the official OpenAI Java SDK: upload,
 * create, a restart of the ingest API while the batch runs, completion with exact counts, the
 * output and error files; bad lines fail alone; another team sees nothing; oversized uploads are
 * refused.
 */
class BatchApiTest {

  private static final int GOOD_LINES = 40;

  @TempDir Path dataDir;

  @Test
  void runsABatchThroughTheSdkAcrossARestartOfTheIngestApi() throws Exception {
    Settings settings =
        Settings.empty()
            .with("batch.max-in-flight", "4")
            .with("batch.max-line-bytes", "2048")
            .with("batch.max-file-lines", "100");
    try (LocalStack stack =
        LocalStack.start(settings, dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      stack.mock().setLatency(Duration.ofMillis(100));
      OpenAIClient client = client(stack, stack.demoKey());
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < GOOD_LINES; i++) {
        lines.add(line("req-" + i, "gpt-4o-mini", "Question " + i));
      }
      lines.add(line("unknown-model", "gpt-9", "Hi"));
      lines.add("{\"custom_id\": \"broken\", \"method\": \"POST\"");
      lines.add(line("too-long", "gpt-4o-mini", "x".repeat(3000)));

      FileObject file = upload(client, lines);
      assertThat(file.purpose()).isEqualTo(FileObject.Purpose.BATCH);
      Batch batch = createBatch(client, file.id());
      assertThat(batch.requestCounts().orElseThrow().total()).isEqualTo(43);

      Batch running =
          await(client, batch.id(), b -> b.requestCounts().orElseThrow().completed() > 0);
      assertThat(running.requestCounts().orElseThrow().completed())
          .as("the restart comes while the batch runs")
          .isLessThan(GOOD_LINES);
      stack.restartIngest();
      client = client(stack, stack.demoKey());
      Batch done = await(client, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()));

      assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(GOOD_LINES);
      assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(3);
      List<JsonObject> output = content(client, done.outputFileId().orElseThrow());
      assertThat(output.stream().map(o -> o.getString("custom_id")).collect(Collectors.toSet()))
          .hasSize(GOOD_LINES)
          .contains("req-0", "req-39");
      assertThat(output)
          .allSatisfy(
              o -> {
                JsonObject response = o.getJsonObject("response");
                assertThat(response.getInteger("status_code")).isEqualTo(200);
                JsonArray choices = response.getJsonObject("body").getJsonArray("choices");
                assertThat(choices.getJsonObject(0).getJsonObject("message").getString("content"))
                    .startsWith("Mock reply to: Question");
              });
      // Each line reached the provider once, the restart notwithstanding.
      assertThat(stack.mock().ledger().entries()).hasSize(GOOD_LINES);

      Map<String, JsonObject> errors =
          content(client, done.errorFileId().orElseThrow()).stream()
              .collect(Collectors.toMap(o -> String.valueOf(o.getString("custom_id")), o -> o));
      assertThat(errors).containsOnlyKeys("unknown-model", "null", "too-long");
      assertThat(errors.get("unknown-model").getJsonObject("response").getInteger("status_code"))
          .isEqualTo(404);
      assertThat(errors.get("null").getJsonObject("error").getString("message"))
          .contains("line 42");
      assertThat(errors.get("too-long").getJsonObject("error").getString("message"))
          .contains("over the line size limit");

      assertThat(client.batches().list().data()).extracting(Batch::id).contains(batch.id());
    }
  }

  @Test
  void anotherTeamSeesNothingAndOversizedUploadsAreRefused() throws Exception {
    Settings settings = Settings.empty().with("batch.max-file-lines", "3");
    try (LocalStack stack =
        LocalStack.start(settings, dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      OpenAIClient demo = client(stack, stack.demoKey());
      FileObject file = upload(demo, List.of(line("a", "gpt-4o-mini", "Hi")));
      OpenAIClient stranger = client(stack, new BearerHttp().newTeamKey(stack, "stranger"));

      assertThatThrownBy(() -> stranger.files().retrieve(file.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> createBatch(stranger, file.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () ->
                  upload(
                      demo,
                      List.of(
                          line("1", "gpt-4o-mini", "a"),
                          line("2", "gpt-4o-mini", "b"),
                          line("3", "gpt-4o-mini", "c"),
                          line("4", "gpt-4o-mini", "d"))))
          .isInstanceOfSatisfying(
              OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(413));

      Batch batch = createBatch(demo, file.id());
      assertThatThrownBy(() -> stranger.batches().retrieve(batch.id()))
          .isInstanceOf(NotFoundException.class);
      assertThat(
              await(demo, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()))
                  .requestCounts()
                  .orElseThrow()
                  .completed())
          .isEqualTo(1);

      // A download larger than one streamed piece comes back whole and in order.
      List<String> large =
          List.of(
              line("big-1", "gpt-4o-mini", "a".repeat(60_000)),
              line("big-2", "gpt-4o-mini", "b".repeat(60_000)),
              line("big-3", "gpt-4o-mini", "c".repeat(60_000)));
      FileObject largeFile = upload(demo, large);
      assertThat(content(demo, largeFile.id()))
          .map(JsonObject::encode)
          .containsExactlyElementsOf(large.stream().map(l -> new JsonObject(l).encode()).toList());

      BearerHttp http = new BearerHttp();
      String batches = stack.apiUrl() + "/batches";
      assertError(
          http.send(
              "POST", batches, stack.demoKey(), createBody(file.id(), "/v1/embeddings", "24h")),
          400,
          "endpoint");
      assertError(
          http.send(
              "POST",
              batches,
              stack.demoKey(),
              createBody(file.id(), "/v1/chat/completions", "1h")),
          400,
          "completion_window");
      assertError(http.send("POST", batches, stack.demoKey(), "[1, 2]"), 400, null);
      assertThat(
              http.send("POST", batches + "/" + batch.id() + "/cancel", stack.demoKey(), "")
                  .statusCode())
          .as("a completed batch cannot be cancelled")
          .isEqualTo(409);
      assertThat(
              http.send("GET", stack.apiUrl() + "/files/file-nope", stack.demoKey(), null)
                  .statusCode())
          .isEqualTo(404);
    }
  }

  private FileObject upload(OpenAIClient client, List<String> lines) throws IOException {
    Path file = Files.createTempFile(dataDir, "batch", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return client
        .files()
        .create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
  }

  private static String createBody(String fileId, String endpoint, String window) {
    return new JsonObject()
        .put("input_file_id", fileId)
        .put("endpoint", endpoint)
        .put("completion_window", window)
        .encode();
  }

  private static void assertError(
      java.net.http.HttpResponse<String> response, int status, String param) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("param")).isEqualTo(param);
  }

  private static Batch createBatch(OpenAIClient client, String fileId) {
    return client
        .batches()
        .create(
            BatchCreateParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build());
  }

  private static Batch await(OpenAIClient client, String id, Predicate<Batch> until) {
    return Await.value(
        "batch " + id,
        Duration.ofSeconds(90),
        () -> client.batches().retrieve(id),
        batch -> {
          assertThat(batch.status())
              .as("batch %s", batch)
              .isNotIn(Batch.Status.FAILED, Batch.Status.EXPIRED, Batch.Status.CANCELLED);
          return until.test(batch);
        });
  }

  private static List<JsonObject> content(OpenAIClient client, String fileId) {
    try (HttpResponse response = client.files().content(fileId)) {
      String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      return body.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(String customId, String model, String content) {
    return new JsonObject()
        .put("custom_id", customId)
        .put("method", "POST")
        .put("url", "/v1/chat/completions")
        .put(
            "body",
            new JsonObject()
                .put("model", model)
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", content)))
                .put("max_tokens", 50))
        .encode();
  }

  private static OpenAIClient client(LocalStack stack, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(stack.apiUrl()).apiKey(key).maxRetries(0).build();
  }
}
