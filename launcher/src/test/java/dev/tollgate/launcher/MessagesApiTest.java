package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import dev.tollgate.core.config.Settings;
import dev.tollgate.mock.LedgerEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /v1/messages} through the official Anthropic Java SDK and the whole stack, served by an
 * Anthropic deployment and by OpenAI and Gemini ones: the answer comes back in Anthropic's shape
 * whichever served it, billed as the provider (the mock) billed it.
 */
class MessagesApiTest {

  @TempDir static Path dataDir;
  private static LocalStack stack;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of());
    client =
        AnthropicOkHttpClient.builder()
            .baseUrl(stack.apiUrl().replaceFirst("/v1$", ""))
            .apiKey(stack.demoKey())
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"claude-sonnet-4", "gpt-4o-mini", "gemini-2.5-flash"})
  void aMessageIsAnsweredInAnthropicsShapeWhicheverProviderServesIt(String model) {
    int billedBefore = stack.mock().ledger().entries().size();
    HttpResponseFor<Message> raw =
        client
            .messages()
            .withRawResponse()
            .create(
                MessageCreateParams.builder()
                    .model(model)
                    .maxTokens(200)
                    .system("Be brief.")
                    .addUserMessage("Hi")
                    .build());
    Message message = raw.parse();

    assertThat(message.id()).startsWith("msg_");
    assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Mock reply to: Hi");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    List<LedgerEntry> billed = stack.mock().ledger().entries();
    assertThat(billed).hasSize(billedBefore + 1);
    LedgerEntry call = billed.get(billed.size() - 1);
    assertThat(raw.headers().values("x-tollgate-provider")).containsExactly(call.provider());
    assertThat(raw.headers().values("x-tollgate-cost-micros"))
        .containsExactly(Long.toString(call.costMicros()));
    assertThat(message.usage().inputTokens()).isEqualTo(call.tokens().input());
    assertThat(message.usage().outputTokens()).isEqualTo(call.tokens().output());
  }

  /**
   * A tool round trip: the forced tool is called (its id kept), its result goes back as a {@code
   * tool_result} block, and the model answers in text.
   */
  @ParameterizedTest
  @ValueSource(strings = {"claude-sonnet-4", "gpt-4o-mini", "gemini-2.5-flash"})
  void aToolRoundTripWorksOnEveryProvider(String model) {
    Tool weather =
        Tool.builder()
            .name("get_weather")
            .description("The weather in a city")
            .inputSchema(
                Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .required(List.of("city"))
                    .build())
            .build();
    MessageCreateParams.Builder ask =
        MessageCreateParams.builder()
            .model(model)
            .maxTokens(200)
            .addTool(weather)
            .addUserMessage("Weather in Paris?");
    Message call =
        client
            .messages()
            .create(ask.toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build());
    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use = call.content().get(0).toolUse().orElseThrow();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().toString()).contains("answer");

    Message answer =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model(model)
                    .maxTokens(200)
                    .addTool(weather)
                    .addUserMessage("Weather in Paris?")
                    .addMessage(call)
                    .addMessage(
                        MessageParam.ofUserOfContentBlockParams(
                            List.of(
                                ContentBlockParam.ofToolResult(
                                    ToolResultBlockParam.builder()
                                        .toolUseId(use.id())
                                        .content("Sunny, 21 C")
                                        .build()))))
                    .build());
    assertThat(answer.stopReason()).contains(StopReason.END_TURN);
    assertThat(answer.content().get(0).text()).isPresent();
  }

  /**
   * A cache breakpoint on the system prompt: Anthropic writes the prefix once (at the 5-minute or
   * 1-hour write price) and reads it after; each call's cost is the mock's bill at its own prices.
   * Served by OpenAI, the breakpoint is a hint dropped and named.
   */
  @ParameterizedTest
  @ValueSource(strings = {"5m", "1h"})
  void aCacheBreakpointIsWrittenOnceAndReadAfter(String ttl) {
    MessageCreateParams cached =
        MessageCreateParams.builder()
            .model("claude-sonnet-4")
            .maxTokens(100)
            .systemOfTextBlockParams(
                List.of(
                    TextBlockParam.builder()
                        .text(ttl + " " + "Long instructions. ".repeat(250))
                        .cacheControl(
                            CacheControlEphemeral.builder()
                                .ttl(
                                    "1h".equals(ttl)
                                        ? CacheControlEphemeral.Ttl.TTL_1H
                                        : CacheControlEphemeral.Ttl.TTL_5M)
                                .build())
                        .build()))
            .addUserMessage("Hi")
            .build();

    Usage first = billedAsTheMockBilled(cached).usage();
    Usage second = billedAsTheMockBilled(cached).usage();

    assertThat(first.cacheCreationInputTokens())
        .hasValueSatisfying(t -> assertThat(t).isPositive());
    CacheCreation split = first.cacheCreation().orElseThrow();
    assertThat("1h".equals(ttl) ? split.ephemeral1hInputTokens() : split.ephemeral5mInputTokens())
        .isEqualTo(first.cacheCreationInputTokens().orElseThrow());
    assertThat(second.cacheReadInputTokens()).isEqualTo(first.cacheCreationInputTokens());
    assertThat(second.cacheCreationInputTokens()).contains(0L);
  }

  @Test
  void aCacheBreakpointOnAnotherProviderIsDroppedAndNamed() {
    HttpResponseFor<Message> raw =
        client
            .messages()
            .withRawResponse()
            .create(
                MessageCreateParams.builder()
                    .model("gpt-4o-mini")
                    .maxTokens(100)
                    .systemOfTextBlockParams(
                        List.of(
                            TextBlockParam.builder()
                                .text("Be brief.")
                                .cacheControl(CacheControlEphemeral.builder().build())
                                .build()))
                    .addUserMessage("Hi")
                    .build());
    assertThat(raw.headers().values("x-tollgate-dropped-params")).containsExactly("cache_control");
  }

  private static MessageCreateParams.Builder hi(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Hi");
  }

  private static Message billedAsTheMockBilled(MessageCreateParams params) {
    int before = stack.mock().ledger().entries().size();
    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params);
    List<LedgerEntry> billed = stack.mock().ledger().entries();
    assertThat(billed).hasSize(before + 1);
    assertThat(raw.headers().values("x-tollgate-cost-micros"))
        .containsExactly(Long.toString(billed.get(billed.size() - 1).costMicros()));
    return raw.parse();
  }

  @Test
  void tokensAreCountedWithoutCallingAProvider() {
    int billedBefore = stack.mock().ledger().entries().size();
    long tokens =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("What is the capital of France?")
                    .build())
            .inputTokens();

    // OpenAI's tokenizer: 7 tokens, 3 for the message and 3 to prime the reply.
    assertThat(tokens).isEqualTo(13);
    assertThat(stack.mock().ledger().entries()).hasSize(billedBefore);
  }

  @Test
  void badInputIsRefusedInAnthropicsErrorShape() {
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        hi("claude-sonnet-4")
                            .putAdditionalBodyProperty("top_k", JsonValue.from(5))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.body().toString()).contains("invalid_request_error").contains("top_k");
            });
    assertThatThrownBy(() -> client.messages().create(hi("no-such-model").build()))
        .isInstanceOfSatisfying(
            AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    AnthropicClient wrongKey =
        AnthropicOkHttpClient.builder()
            .baseUrl(stack.apiUrl().replaceFirst("/v1$", ""))
            .apiKey("tg-not-a-key")
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> wrongKey.messages().create(hi("claude-sonnet-4").build()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> assertThat(e.body().toString()).contains("authentication_error"));
  }
}
