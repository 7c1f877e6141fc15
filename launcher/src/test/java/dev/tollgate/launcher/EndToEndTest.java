package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.testkit.TopicReads;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway in local mode, driven by the official OpenAI Java SDK: a completion through
 * HTTP, Kafka, the router, a worker, the mock provider over HTTP and back; the team's spend in the
 * aggregator equal to the mock's bill; typed errors; a poison record; and a restart that keeps the
 * spend.
 */
class EndToEndTest {

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesCompletionsAndReconcilesSpendAcrossARestart() throws Exception {
    long billed;
    try (LocalStack stack =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      OpenAIClient client = client(stack, stack.demoKey());

      ChatCompletion completion =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("gpt-4o-mini")
                      .addUserMessage("Hello")
                      .build());

      assertThat(completion.choices().get(0).message().content()).contains("Mock reply to: Hello");
      CompletionUsage usage = completion.usage().orElseThrow();
      assertThat(usage.promptTokens()).isEqualTo(9); // 3 + 4 per message + 2 for "Hello"
      assertThat(usage.completionTokens()).isEqualTo(5); // "Mock reply to: Hello", 20 chars
      for (int i = 0; i < 4; i++) {
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("cheap-chat")
                    .addUserMessage("Question " + i)
                    .build());
      }

      billed = stack.mock().ledger().totalCostMicros();
      assertThat(stack.mock().ledger().entries()).hasSize(5);
      JsonObject spend = awaitSpend(stack, billed);
      assertThat(spend.getLong("calls")).isEqualTo(5);
      assertThat(spend.getJsonObject("tokens").getLong("input"))
          .isEqualTo(
              stack.mock().ledger().entries().stream().mapToLong(e -> e.tokens().input()).sum());

      assertThatThrownBy(
              () ->
                  client
                      .chat()
                      .completions()
                      .create(
                          ChatCompletionCreateParams.builder()
                              .model("gpt-9")
                              .addUserMessage("Hi")
                              .build()))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("does not exist. Available models: gpt-4o-mini");
      assertThatThrownBy(
              () ->
                  client(stack, "tg-not-a-key")
                      .chat()
                      .completions()
                      .create(
                          ChatCompletionCreateParams.builder()
                              .model("gpt-4o-mini")
                              .addUserMessage("Hi")
                              .build()))
          .isInstanceOf(UnauthorizedException.class);
      assertThat(get(stack.usageUrl() + "/teams/other-team", stack.demoKey()).statusCode())
          .isEqualTo(404);
      assertThat(get(stack.usageUrl() + "/teams/demo", stack.adminToken()).statusCode())
          .isEqualTo(200);

      publishPoison(stack);
      assertThat(awaitDeadLetter(stack).getReason()).startsWith("undecodable");
      assertThat(
              client
                  .chat()
                  .completions()
                  .create(
                      ChatCompletionCreateParams.builder()
                          .model("gpt-4o-mini")
                          .addUserMessage("Still there?")
                          .build())
                  .choices())
          .hasSize(1);
      billed = stack.mock().ledger().totalCostMicros();
      awaitSpend(stack, billed);
    }

    try (LocalStack restarted =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      assertThat(awaitSpend(restarted, billed).getLong("calls")).isEqualTo(6);
      assertThat(
              client(restarted, restarted.demoKey())
                  .chat()
                  .completions()
                  .create(
                      ChatCompletionCreateParams.builder()
                          .model("gpt-4o-mini")
                          .addUserMessage("Back")
                          .build())
                  .choices())
          .hasSize(1);

      // A deterministic request asked again is answered from the team's cache once the worker's
      // reply has reached it (the router reads response-cache on its own: ask until it has).
      OpenAIClient again = client(restarted, restarted.demoKey());
      ChatCompletionCreateParams deterministic =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o-mini")
              .temperature(0.0)
              .addUserMessage("Cache me")
              .build();
      String first =
          again
              .chat()
              .completions()
              .create(deterministic)
              .choices()
              .get(0)
              .message()
              .content()
              .orElseThrow();
      boolean hit = false;
      for (int i = 0; i < 50 && !hit; i++) {
        HttpResponseFor<ChatCompletion> answer =
            again.chat().completions().withRawResponse().create(deterministic);
        assertThat(answer.parse().choices().get(0).message().content()).contains(first);
        hit = answer.headers().values("x-tollgate-cache").contains("hit");
        // The restarted mock's ledger holds only the calls since the restart.
        awaitSpend(restarted, billed + restarted.mock().ledger().totalCostMicros());
      }
      assertThat(hit).isTrue();
      JsonObject spend = awaitSpend(restarted, s -> s.getLong("cache_hits", 0L) > 0, "a cache hit");
      assertThat(spend.getLong("cache_hits")).isEqualTo(1);
    }
  }

  private static OpenAIClient client(LocalStack stack, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(stack.apiUrl()).apiKey(key).maxRetries(0).build();
  }

  private JsonObject awaitSpend(LocalStack stack, long expectedMicros) {
    return awaitSpend(
        stack,
        s -> s.getLong("cost_micros", -1L) == expectedMicros,
        "spend of " + expectedMicros + " micro-USD");
  }

  private JsonObject awaitSpend(LocalStack stack, Predicate<JsonObject> done, String what) {
    return new BearerHttp().awaitTeamTotal(stack, "demo", stack.demoKey(), done, what);
  }

  private void publishPoison(LocalStack stack) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>("llm-requests", "demo", "{\"not\": \"avro\"}".getBytes()))
          .get();
    }
  }

  private DeadLetter awaitDeadLetter(LocalStack stack) {
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    AvroSerde<DeadLetter> serde =
        new AvroSerde<>(new HttpSchemaRegistryClient(stack.registryUrl()), DeadLetter.class);
    List<ConsumerRecord<String, byte[]>> letters =
        TopicReads.read(props, "llm-requests-dlq", 1, Duration.ofSeconds(30));
    assertThat(letters).as("a dead letter within 30 s").isNotEmpty();
    return serde.deserialize(letters.get(0).topic(), letters.get(0).value());
  }

  private HttpResponse<String> get(String url, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
