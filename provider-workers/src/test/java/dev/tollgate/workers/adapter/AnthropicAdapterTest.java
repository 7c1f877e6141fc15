package dev.tollgate.workers.adapter;

import static dev.tollgate.workers.adapter.Golden.NO_HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicAdapterTest {

  private final AnthropicAdapter adapter =
      new AnthropicAdapter(
          Golden.endpoint("anthropic", "ANTHROPIC_API_KEY", "sk-ant-secret"), Clock.systemUTC());

  @Test
  void hoistsTheSystemPromptAndMapsToolsToContentBlocks() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setUser("u-1")
            .setParams(
                GenerationParams.newBuilder(Golden.toolConversation().getParams())
                    // Anthropic's top temperature; a higher one never reaches it (ApiParameters).
                    .setTemperature(1.0)
                    .setToolChoiceJson("\"required\"")
                    .build())
            .build();

    HttpCall call =
        adapter.prepare(request, Golden.deployment("anthropic", "claude-sonnet-4-20250514"));

    assertThat(call.url()).isEqualTo("https://api.example.test/v1/messages");
    assertThat(call.headers())
        .containsEntry("x-api-key", "sk-ant-secret")
        .containsEntry("anthropic-version", "2023-06-01");
    Golden.assertJson(call.body(), "anthropic-request.json");
  }

  /**
   * Anthropic's tool-forcing: the schema as a tool's {@code input_schema}, {@code tool_choice}
   * {@code {"type": "tool", "name": ...}}, and the forced call's input answered as the content.
   */
  /**
   * A reasoning effort is an extended-thinking budget (the Messages API reference's {@code
   * thinking} object), with max_tokens above it; the answer's thinking block is not part of the
   * reply.
   */
  @Test
  void aReasoningEffortIsAThinkingBudgetAndThinkingBlocksStayOut() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setParams(GenerationParams.newBuilder().setReasoningEffort("medium").build())
            .build();

    JsonNode body = body(request);

    assertThat(body.path("thinking").toString())
        .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":8192}");
    assertThat(body.path("max_tokens").asInt())
        .isEqualTo(8192 + AnthropicAdapter.DEFAULT_MAX_TOKENS);
    ProviderResult.Success answer =
        (ProviderResult.Success)
            adapter.parse(
                200,
                NO_HEADERS,
                "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"thinking\","
                    + "\"thinking\":\"Let me think.\",\"signature\":\"EqQB\"},{\"type\":\"text\","
                    + "\"text\":\"42\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":9,"
                    + "\"output_tokens\":30}}");
    assertThat(answer.completion().getChoices().get(0).getMessage().getContent()).isEqualTo("42");
    assertThat(answer.usage().getOutputTokens()).isEqualTo(30);
  }

  /**
   * Cache breakpoints become {@code cache_control} on the message's last block (the Messages API's
   * prompt-caching page), the system prompt then as text blocks; the usage's split by time to live
   * is read back.
   */
  @Test
  void aCacheBreakpointIsCacheControlOnTheLastBlockAndWritesAreSplitByTtl() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setMessages(
                List.of(
                    ChatMessage.newBuilder()
                        .setRole("system")
                        .setContent("Rules.")
                        .setCacheControl("1h")
                        .build(),
                    ChatMessage.newBuilder()
                        .setRole("user")
                        .setContent("Hi")
                        .setCacheControl("5m")
                        .build()))
            .setParams(GenerationParams.newBuilder().build())
            .build();

    JsonNode body = body(request);

    assertThat(body.path("system").toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"Rules.\",\"cache_control\":{\"type\":\"ephemeral\","
                + "\"ttl\":\"1h\"}}]");
    assertThat(body.at("/messages/0/content").toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]");
    TokenUsage usage =
        AnthropicAdapter.usage(
            new ObjectMapper()
                .readTree(
                    "{\"input_tokens\":5,\"cache_read_input_tokens\":0,"
                        + "\"cache_creation_input_tokens\":30,\"cache_creation\":"
                        + "{\"ephemeral_5m_input_tokens\":10,\"ephemeral_1h_input_tokens\":20},"
                        + "\"output_tokens\":3}"));
    assertThat(usage.getCacheWriteTokens()).isEqualTo(10);
    assertThat(usage.getCacheWrite1hTokens()).isEqualTo(20);
  }

  @Test
  void aJsonSchemaIsAForcedToolWhoseInputIsTheAnswer() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setParams(
                GenerationParams.newBuilder()
                    .setResponseFormatJson(
                        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"schema\":"
                            + "{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"number\"}}}}}")
                    .build())
            .build();

    JsonNode body = body(request);

    assertThat(body.path("tools").toString())
        .isEqualTo(
            "[{\"name\":\"tollgate_json_answer\",\"description\":\"Answer with this tool: its"
                + " input is the answer, as JSON.\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{\"c\":{\"type\":\"number\"}}}}]");
    assertThat(body.path("tool_choice").toString())
        .isEqualTo("{\"type\":\"tool\",\"name\":\"tollgate_json_answer\"}");

    ProviderResult.Success answer =
        (ProviderResult.Success)
            adapter.parse(
                200,
                NO_HEADERS,
                "{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude\",\"stop_reason\":\"tool_use\","
                    + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"tollgate_json_answer\","
                    + "\"input\":{\"c\":12.5}}],\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}");
    var choice = answer.completion().getChoices().get(0);
    assertThat(choice.getMessage().getContent()).isEqualTo("{\"c\":12.5}");
    assertThat(choice.getMessage().getToolCalls()).isEmpty();
    assertThat(choice.getFinishReason()).isEqualTo("stop");
  }

  /**
   * OpenAI's {@code parallel_tool_calls: false} is Anthropic's {@code disable_parallel_tool_use}.
   */
  @Test
  void noParallelToolCallsDisablesParallelToolUse() throws IOException {
    for (String[] c :
        new String[][] {
          {null, "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"},
          {"\"required\"", "{\"type\":\"any\",\"disable_parallel_tool_use\":true}"},
          {"\"none\"", "{\"type\":\"none\"}"}
        }) {
      LlmRequest request =
          Golden.toolConversation()
              .setParams(
                  GenerationParams.newBuilder(Golden.toolConversation().getParams())
                      .setTemperature(1.0)
                      .setToolChoiceJson(c[0])
                      .setParallelToolCalls(false)
                      .build())
              .build();
      JsonNode body = body(request);
      assertThat(body.path("tool_choice").toString()).as(String.valueOf(c[0])).isEqualTo(c[1]);
    }
  }

  private JsonNode body(LlmRequest request) throws IOException {
    return new ObjectMapper()
        .readTree(
            adapter
                .prepare(request, Golden.deployment("anthropic", "claude-sonnet-4-20250514"))
                .body());
  }

  @Test
  void cacheTokensComeInAdditionToInputTokens() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, Golden.read("anthropic-message-response.json"));

    assertThat(success.usage().getInputTokens()).isEqualTo(21);
    assertThat(success.usage().getCachedInputTokens()).isEqualTo(1500);
    assertThat(success.usage().getCacheWriteTokens()).isEqualTo(188086);
    assertThat(success.usage().getOutputTokens()).isEqualTo(393);
    ChatMessage message = success.completion().getChoices().get(0).getMessage();
    assertThat(message.getContent()).isEqualTo("Hello! How can I help?");
    assertThat(success.completion().getChoices().get(0).getFinishReason()).isEqualTo("stop");
  }

  @Test
  void readsToolUse() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, Golden.read("anthropic-tool-use-response.json"));

    assertThat(success.completion().getChoices().get(0).getFinishReason()).isEqualTo("tool_calls");
    assertThat(success.completion().getChoices().get(0).getMessage().getToolCalls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.getId()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
              assertThat(new ObjectMapper().readTree(call.getArguments()).path("unit").asText())
                  .isEqualTo("celsius");
            });
  }

  @Test
  void overloadIsA529WithItsRetryAfter() throws IOException {
    ProviderResult.Failure failure =
        (ProviderResult.Failure)
            adapter.parse(
                529,
                name -> "retry-after".equals(name) ? "3" : null,
                Golden.read("anthropic-error-overloaded.json"));

    assertThat(failure.status()).isEqualTo(529);
    assertThat(failure.type()).isEqualTo("overloaded_error");
    assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryClassifier.isRetryable(failure)).isTrue();
  }

  @Test
  void unknownStopReasonsAreTypedFailures() {
    ProviderResult result =
        adapter.parse(
            200,
            NO_HEADERS,
            "{\"type\":\"message\",\"content\":[],\"stop_reason\":\"daydream\",\"usage\":{}}");

    Golden.assertUnknownFinishReason(result);
  }

  @Test
  void requestsWithoutMaxTokensGetTheDefault() throws IOException {
    LlmRequest request =
        Golden.toolConversation().setParams(GenerationParams.newBuilder().build()).build();

    HttpCall call = adapter.prepare(request, Golden.deployment("anthropic", "claude"));

    assertThat(new ObjectMapper().readTree(call.body()).path("max_tokens").asInt())
        .isEqualTo(AnthropicAdapter.DEFAULT_MAX_TOKENS);
  }
}
