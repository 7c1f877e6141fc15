package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.files.FileObject;
import dev.tollgate.core.config.Settings;
import dev.tollgate.mock.LedgerEntry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/embeddings} through the official OpenAI SDK and the whole stack: vectors in the
 * inputs' order, billed per input token as the provider (the mock) billed, in a batch file too;
 * chat and embeddings models each refuse the other's requests.
 */
class EmbeddingsTest {

  @TempDir static Path dataDir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalStack stack;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of());
    client = BatchFiles.client(stack, stack.demoKey());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void textsAreEmbeddedInOrderAndBilledPerInputToken() {
    int billedBefore = stack.mock().ledger().entries().size();
    HttpResponseFor<CreateEmbeddingResponse> raw =
        client
            .embeddings()
            .withRawResponse()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .inputOfArrayOfStrings(List.of("The quick brown fox", "jumps"))
                    .dimensions(16)
                    .build());
    CreateEmbeddingResponse answer = raw.parse();

    assertThat(answer.data()).hasSize(2);
    assertThat(answer.data().get(0).index()).isZero();
    assertThat(answer.data().get(0).embedding()).hasSize(16);
    assertThat(answer.data().get(0).embedding()).isNotEqualTo(answer.data().get(1).embedding());
    List<LedgerEntry> billed = stack.mock().ledger().entries();
    assertThat(billed).hasSize(billedBefore + 1);
    LedgerEntry call = billed.get(billed.size() - 1);
    // The mock's own count: one token per started 4 characters of each input (5 + 2).
    assertThat(call.tokens().input()).isEqualTo(7);
    assertThat(answer.usage().promptTokens()).isEqualTo(7);
    assertThat(raw.headers().values("x-tollgate-cost-micros"))
        .containsExactly(Long.toString(call.costMicros()));
  }

  @Test
  void base64VectorsAreTheSameFloatsLittleEndian() throws Exception {
    String body =
        "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\",\"dimensions\":4,"
            + "\"encoding_format\":\"%s\"}";
    JsonNode floats = JSON.readTree(post(String.format(body, "float")).body());
    JsonNode base64 = JSON.readTree(post(String.format(body, "base64")).body());

    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/0/embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : floats.at("/data/0/embedding")) {
      assertThat(bytes.getFloat()).isEqualTo(value.floatValue());
    }
    assertThat(bytes.hasRemaining()).isFalse();
  }

  @Test
  void chatAndEmbeddingsModelsRefuseEachOthersRequests() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model("gpt-4o-mini")
                            .input("hello")
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not an embeddings model");
    HttpResponse<String> chat =
        new BearerHttp()
            .send(
                "POST",
                stack.apiUrl() + "/chat/completions",
                stack.demoKey(),
                "{\"model\":\"text-embedding-3-small\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(chat.statusCode()).isEqualTo(400);
    assertThat(chat.body()).contains("/v1/embeddings");
    HttpResponse<String> tokens = post("{\"model\":\"text-embedding-3-small\",\"input\":[[1,2]]}");
    assertThat(tokens.statusCode()).isEqualTo(400);
    assertThat(tokens.body()).contains("token ids");
    HttpResponse<String> empty = post("{\"model\":\"text-embedding-3-small\",\"input\":[]}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("\"param\":\"input\"");
  }

  @Test
  void anEmbeddingsBatchAnswersEveryLine() throws Exception {
    String line =
        new JsonObject()
            .put("custom_id", "e1")
            .put("method", "POST")
            .put("url", "/v1/embeddings")
            .put(
                "body",
                new JsonObject()
                    .put("model", "text-embedding-3-small")
                    .put("input", "a line")
                    .put("dimensions", 8))
            .encode();
    String chatLine = BatchFiles.line("c1", "gpt-4o-mini", "Hi");
    FileObject file = BatchFiles.upload(client, dataDir, List.of(line, chatLine));
    Batch batch =
        BatchFiles.createBatch(client, file.id(), BatchCreateParams.Endpoint.V1_EMBEDDINGS);
    Batch done =
        BatchFiles.await(client, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()));

    List<JsonObject> output = BatchFiles.content(client, done.outputFileId().orElseThrow());
    assertThat(output).hasSize(1);
    JsonObject answered = output.get(0).getJsonObject("response").getJsonObject("body");
    assertThat(answered.getJsonArray("data").getJsonObject(0).getJsonArray("embedding")).hasSize(8);
    // A chat line in an embeddings batch fails alone, as OpenAI's does.
    List<JsonObject> errors = BatchFiles.content(client, done.errorFileId().orElseThrow());
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getString("custom_id")).isEqualTo("c1");
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return new BearerHttp().send("POST", stack.apiUrl() + "/embeddings", stack.demoKey(), body);
  }
}
