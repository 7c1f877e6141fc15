package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The Batch and Files APIs through the official OpenAI SDK, for the tests that run batches. */
final class BatchFiles {

  private BatchFiles() {}

  static FileObject upload(OpenAIClient client, Path dir, List<String> lines) throws IOException {
    Path file = Files.createTempFile(dir, "batch", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return client
        .files()
        .create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
  }

  static Batch createBatch(OpenAIClient client, String fileId) {
    return createBatch(client, fileId, BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
  }

  static Batch createBatch(
      OpenAIClient client, String fileId, BatchCreateParams.Endpoint endpoint) {
    return client
        .batches()
        .create(
            BatchCreateParams.builder()
                .inputFileId(fileId)
                .endpoint(endpoint)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build());
  }

  static Batch await(OpenAIClient client, String id, Predicate<Batch> until) {
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

  static List<JsonObject> content(OpenAIClient client, String fileId) {
    try (HttpResponse response = client.files().content(fileId)) {
      String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      return body.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String line(String customId, String model, String content) {
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

  static OpenAIClient client(LocalStack stack, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(stack.apiUrl()).apiKey(key).maxRetries(0).build();
  }
}
