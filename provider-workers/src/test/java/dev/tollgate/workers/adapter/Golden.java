package dev.tollgate.workers.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Golden files and the request every adapter test maps. */
final class Golden {

  static final Function<String, String> NO_HEADERS = name -> null;

  private Golden() {}

  static String read(String name) throws IOException {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Asserts that {@code body} is the JSON of golden file {@code name}, field order aside. */
  static void assertJson(String body, String name) throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(body)).isEqualTo(json.readTree(read(name)));
  }

  /** Asserts that {@code result} failed on a finish reason the adapter does not know, for good. */
  static void assertUnknownFinishReason(ProviderResult result) {
    assertThat(result)
        .isInstanceOfSatisfying(
            ProviderResult.Failure.class,
            f -> {
              assertThat(f.code()).isEqualTo(RetryClassifier.UNKNOWN_FINISH_REASON);
              assertThat(RetryClassifier.isRetryable(f)).isFalse();
            });
  }

  static ProviderEndpoint endpoint(String api, String keyEnv, String key) {
    return ProviderEndpoint.of(
        new ProviderSpec(
            api,
            api,
            "https://api.example.test/v1/",
            keyEnv,
            api.startsWith("azure") ? "2024-10-21" : null),
        Map.of(keyEnv, key),
        null);
  }

  static DeploymentRef deployment(String provider, String model) {
    return DeploymentRef.newBuilder()
        .setDeploymentId("d")
        .setProvider(provider)
        .setProviderModel(model)
        .build();
  }

  /** A conversation with a system prompt, a tool call and its result. */
  static LlmRequest.Builder toolConversation() {
    return LlmRequest.newBuilder()
        .setRequestId("r1")
        .setTeamId("t")
        .setKeyId("k")
        .setModel("any")
        .setMessages(
            List.of(
                ChatMessage.newBuilder().setRole("system").setContent("Be brief.").build(),
                ChatMessage.newBuilder()
                    .setRole("developer")
                    .setContent("Answer in English.")
                    .build(),
                ChatMessage.newBuilder().setRole("user").setContent("Weather in Boston?").build(),
                ChatMessage.newBuilder()
                    .setRole("assistant")
                    .setToolCalls(
                        List.of(
                            ToolCall.newBuilder()
                                .setId("call_1")
                                .setFunctionName("get_weather")
                                .setArguments("{\"city\":\"Boston\"}")
                                .build()))
                    .build(),
                ChatMessage.newBuilder()
                    .setRole("tool")
                    .setContent("12C")
                    .setToolCallId("call_1")
                    .build()))
        .setParams(
            GenerationParams.newBuilder()
                .setTemperature(1.5)
                .setStop(List.of("END"))
                .setToolsJson(
                    "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather by city\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]")
                .build())
        .setCreatedAt(Instant.EPOCH)
        .setDeadlineAt(Instant.EPOCH);
  }
}
