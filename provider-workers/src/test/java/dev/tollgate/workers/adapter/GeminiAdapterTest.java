package dev.tollgate.workers.adapter;

import static dev.tollgate.workers.adapter.Golden.NO_HEADERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ToolCall;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiAdapterTest {

  private final GeminiAdapter adapter =
      new GeminiAdapter(
          Golden.endpoint("gemini", "GEMINI_API_KEY", "AIza-secret"), Clock.systemUTC());

  /**
   * A named tool choice as {@code toolConfig.functionCallingConfig} (mode ANY, the one name
   * allowed) and a strict JSON schema as {@code responseSchema}, both in Gemini's schema subset:
   * the shapes of Gemini's function calling and structured output references.
   */
  @Test
  void aNamedToolChoiceAndAJsonSchemaTakeGeminisShapes() throws IOException {
    String tools =
        "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
            + "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
            + "\"additionalProperties\":false,\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}}]";
    String format =
        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"strict\":true,\"schema\":"
            + "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"properties\":{\"celsius\":{\"type\":[\"number\",\"null\"]}}}}}";
    LlmRequest request =
        Golden.toolConversation()
            .setParams(
                GenerationParams.newBuilder()
                    .setToolsJson(tools)
                    .setToolChoiceJson(
                        "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}")
                    .setResponseFormatJson(format)
                    .build())
            .build();

    JsonNode body = body(request);

    assertThat(body.path("toolConfig").toString())
        .isEqualTo(
            "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}}");
    assertThat(body.at("/tools/0/functionDeclarations/0/parameters").toString())
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                + "\"required\":[\"city\"]}");
    assertThat(body.at("/generationConfig/responseMimeType").asText())
        .isEqualTo("application/json");
    assertThat(body.at("/generationConfig/responseSchema").toString())
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{\"celsius\":{\"type\":\"number\",\"nullable\":true}}}");
  }

  @Test
  void reasoningEffortIsAThinkingBudget() throws IOException {
    for (String[] effort :
        new String[][] {
          {"minimal", "512"}, {"low", "1024"}, {"medium", "8192"}, {"high", "24576"}
        }) {
      LlmRequest request =
          Golden.toolConversation()
              .setParams(GenerationParams.newBuilder().setReasoningEffort(effort[0]).build())
              .build();
      assertThat(body(request).at("/generationConfig/thinkingConfig/thinkingBudget").asText())
          .as(effort[0])
          .isEqualTo(effort[1]);
    }
  }

  @Test
  void toolChoiceModesMapToFunctionCallingModes() throws IOException {
    for (String[] mode : new String[][] {{"auto", "AUTO"}, {"none", "NONE"}, {"required", "ANY"}}) {
      LlmRequest request =
          Golden.toolConversation()
              .setParams(
                  GenerationParams.newBuilder(Golden.toolConversation().getParams())
                      .setToolChoiceJson("\"" + mode[0] + "\"")
                      .build())
              .build();
      JsonNode body = body(request);
      assertThat(body.at("/toolConfig/functionCallingConfig/mode").asText())
          .as(mode[0])
          .isEqualTo(mode[1]);
    }
  }

  private JsonNode body(LlmRequest request) throws IOException {
    return new ObjectMapper()
        .readTree(adapter.prepare(request, Golden.deployment("gemini", "gemini-2.5-flash")).body());
  }

  @Test
  void mapsMessagesToContentsAndParts() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setParams(
                GenerationParams.newBuilder(Golden.toolConversation().getParams())
                    .setMaxTokens(200)
                    .setResponseFormatJson("{\"type\":\"json_object\"}")
                    .build())
            .build();

    HttpCall call = adapter.prepare(request, Golden.deployment("gemini", "gemini-2.5-flash"));

    assertThat(call.url())
        .isEqualTo("https://api.example.test/v1/models/gemini-2.5-flash:generateContent");
    assertThat(call.headers()).containsEntry("x-goog-api-key", "AIza-secret");
    Golden.assertJson(call.body(), "gemini-request.json");
  }

  @Test
  void cachedTokensArePartOfThePromptAndThoughtsAreOutput() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, Golden.read("gemini-response.json"));

    assertThat(success.usage().getInputTokens()).isEqualTo(1024);
    assertThat(success.usage().getCachedInputTokens()).isEqualTo(1024);
    assertThat(success.usage().getOutputTokens()).isEqualTo(62);
    assertThat(success.usage().getReasoningTokens()).isEqualTo(50);
    assertThat(success.completion().getChoices().get(0).getMessage().getContent())
        .startsWith("Photosynthesis");
    assertThat(success.completion().getModel()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void readsFunctionCalls() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, Golden.read("gemini-function-call-response.json"));

    assertThat(success.completion().getChoices().get(0).getFinishReason()).isEqualTo("tool_calls");
    assertThat(
            success
                .completion()
                .getChoices()
                .get(0)
                .getMessage()
                .getToolCalls()
                .get(0)
                .getArguments())
        .isEqualTo("{\"city\":\"Boston\"}");
  }

  /**
   * A thinking model's signature on a function call comes back to Gemini on that call's part in the
   * next turn (carried in the call's id, which clients return unchanged); other providers get the
   * id without it.
   */
  @Test
  void aThoughtSignatureTravelsInTheCallsIdAndReturnsWhereItCameFrom() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(
                200, NO_HEADERS, Golden.read("gemini-signed-function-call-response.json"));
    ToolCall call = success.completion().getChoices().get(0).getMessage().getToolCalls().get(0);
    assertThat(call.getId()).startsWith("call_mEhXaJvVBbqmnvgPxN2f6A4_0__ts_");

    List<ChatMessage> conversation =
        List.of(
            ChatMessage.newBuilder().setRole("user").setContent("Weather in Boston?").build(),
            ChatMessage.newBuilder().setRole("assistant").setToolCalls(List.of(call)).build(),
            ChatMessage.newBuilder()
                .setRole("tool")
                .setContent("12C")
                .setToolCallId(call.getId())
                .build());
    LlmRequest next = Golden.toolConversation().setMessages(conversation).build();
    assertThat(body(next).at("/contents/1/parts/0/thoughtSignature").asText())
        .isEqualTo("CiQBVKhc7nR2Zz9Ob3JtYWxseSBvcGFxdWUgYnl0ZXM=");
    String toOpenAi =
        new OpenAiAdapter(Golden.endpoint("openai", "OPENAI_API_KEY", "sk-test"), Clock.systemUTC())
            .prepare(next, Golden.deployment("openai", "gpt-4o-mini"))
            .body();
    JsonNode openAi = new ObjectMapper().readTree(toOpenAi);
    assertThat(openAi.at("/messages/1/tool_calls/0/id").asText())
        .isEqualTo("call_mEhXaJvVBbqmnvgPxN2f6A4_0");
    assertThat(openAi.at("/messages/2/tool_call_id").asText())
        .isEqualTo("call_mEhXaJvVBbqmnvgPxN2f6A4_0");
  }

  @Test
  void errorsAndBlockedPromptsAreTyped() throws IOException {
    ProviderResult.Failure quota =
        (ProviderResult.Failure)
            adapter.parse(429, NO_HEADERS, Golden.read("gemini-error-429.json"));
    assertThat(quota.status()).isEqualTo(429);
    assertThat(quota.code()).isEqualTo("RESOURCE_EXHAUSTED");

    ProviderResult.Failure blocked =
        (ProviderResult.Failure)
            adapter.parse(200, NO_HEADERS, "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}");
    assertThat(blocked.status()).isEqualTo(400);
    assertThat(RetryClassifier.isRetryable(blocked)).isFalse();
  }

  @Test
  void aToolResultForAnUnknownCallIsRefused() {
    LlmRequest request =
        Golden.toolConversation()
            .setMessages(
                List.of(
                    ChatMessage.newBuilder()
                        .setRole("tool")
                        .setToolCallId("nope")
                        .setContent("x")
                        .build()))
            .build();

    assertThatThrownBy(() -> adapter.prepare(request, Golden.deployment("gemini", "g")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }
}
