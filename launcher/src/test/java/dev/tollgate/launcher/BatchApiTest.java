package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.files.FileObject;
import dev.tollgate.core.config.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
      OpenAIClient client = BatchFiles.client(stack, stack.demoKey());
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < GOOD_LINES; i++) {
        lines.add(BatchFiles.line("req-" + i, "gpt-4o-mini", "Question " + i));
      }
      lines.add(BatchFiles.line("unknown-model", "gpt-9", "Hi"));
      lines.add("{\"custom_id\": \"broken\", \"method\": \"POST\"");
      lines.add(BatchFiles.line("too-long", "gpt-4o-mini", "x".repeat(3000)));

      FileObject file = BatchFiles.upload(client, dataDir, lines);
      assertThat(file.purpose()).isEqualTo(FileObject.Purpose.BATCH);
      Batch batch = BatchFiles.createBatch(client, file.id());
      assertThat(batch.requestCounts().orElseThrow().total()).isEqualTo(43);

      Batch running =
          BatchFiles.await(
              client, batch.id(), b -> b.requestCounts().orElseThrow().completed() > 0);
      assertThat(running.requestCounts().orElseThrow().completed())
          .as("the restart comes while the batch runs")
          .isLessThan(GOOD_LINES);
      stack.restartIngest();
      client = BatchFiles.client(stack, stack.demoKey());
      Batch done =
          BatchFiles.await(client, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()));

      assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(GOOD_LINES);
      assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(3);
      List<JsonObject> output = BatchFiles.content(client, done.outputFileId().orElseThrow());
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
          BatchFiles.content(client, done.errorFileId().orElseThrow()).stream()
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
      OpenAIClient demo = BatchFiles.client(stack, stack.demoKey());
      FileObject file =
          BatchFiles.upload(demo, dataDir, List.of(BatchFiles.line("a", "gpt-4o-mini", "Hi")));
      OpenAIClient stranger =
          BatchFiles.client(stack, new BearerHttp().newTeamKey(stack, "stranger"));

      assertThatThrownBy(() -> stranger.files().retrieve(file.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> BatchFiles.createBatch(stranger, file.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () ->
                  BatchFiles.upload(
                      demo,
                      dataDir,
                      List.of(
                          BatchFiles.line("1", "gpt-4o-mini", "a"),
                          BatchFiles.line("2", "gpt-4o-mini", "b"),
                          BatchFiles.line("3", "gpt-4o-mini", "c"),
                          BatchFiles.line("4", "gpt-4o-mini", "d"))))
          .isInstanceOfSatisfying(
              OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(413));

      Batch batch = BatchFiles.createBatch(demo, file.id());
      assertThatThrownBy(() -> stranger.batches().retrieve(batch.id()))
          .isInstanceOf(NotFoundException.class);
      assertThat(
              BatchFiles.await(demo, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()))
                  .requestCounts()
                  .orElseThrow()
                  .completed())
          .isEqualTo(1);

      // A download larger than one streamed piece comes back whole and in order.
      List<String> large =
          List.of(
              BatchFiles.line("big-1", "gpt-4o-mini", "a".repeat(60_000)),
              BatchFiles.line("big-2", "gpt-4o-mini", "b".repeat(60_000)),
              BatchFiles.line("big-3", "gpt-4o-mini", "c".repeat(60_000)));
      FileObject largeFile = BatchFiles.upload(demo, dataDir, large);
      assertThat(BatchFiles.content(demo, largeFile.id()))
          .map(JsonObject::encode)
          .containsExactlyElementsOf(large.stream().map(l -> new JsonObject(l).encode()).toList());

      BearerHttp http = new BearerHttp();
      String batches = stack.apiUrl() + "/batches";
      assertError(
          http.send(
              "POST", batches, stack.demoKey(), createBody(file.id(), "/v1/completions", "24h")),
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
}
