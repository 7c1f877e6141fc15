package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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
 * The requests document extraction and agents send, through the official OpenAI SDK, served in turn
 * by the OpenAI, Anthropic and Gemini wire formats: an image, a tool round trip (call, result,
 * answer) and a {@code json_schema} response format. Each call's cost equals what the mock billed
 * at its own prices from its own usage, so a pricing or usage-reading mistake on any provider
 * shows.
 */
class EveryProviderSdkTest {

  private static final String PNG = "data:image/png;base64,iVBORw0KGgo=";

  @TempDir static Path dataDir;
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

  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash"})
  void anImageIsServedAndBilledAsTheProviderBilledIt(String model) {
    ChatCompletion answer =
        billedOnce(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessageOfArrayOfContentParts(
                    List.of(
                        ChatCompletionContentPart.ofText(
                            ChatCompletionContentPartText.builder().text("What is it?").build()),
                        ChatCompletionContentPart.ofImageUrl(
                            ChatCompletionContentPartImage.builder()
                                .imageUrl(
                                    ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url(PNG)
                                        .build())
                                .build())))
                .build());
    assertThat(answer.choices().get(0).message().content()).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash"})
  void aToolRoundTripKeepsTheCallsId(String model) {
    FunctionDefinition weather =
        FunctionDefinition.builder()
            .name("get_weather")
            .parameters(
                FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty(
                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .build())
            .build();
    ChatCompletionCreateParams.Builder ask =
        ChatCompletionCreateParams.builder()
            .model(model)
            .addFunctionTool(weather)
            .addUserMessage("Weather in Paris?");
    ChatCompletion call =
        billedOnce(
            ask.toolChoice(
                    ChatCompletionNamedToolChoice.builder()
                        .function(
                            ChatCompletionNamedToolChoice.Function.builder()
                                .name("get_weather")
                                .build())
                        .build())
                .build());
    ChatCompletionMessageFunctionToolCall toolCall =
        call.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(toolCall.function().name()).isEqualTo("get_weather");

    ChatCompletion answer =
        billedOnce(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addFunctionTool(weather)
                .addUserMessage("Weather in Paris?")
                .addMessage(call.choices().get(0).message())
                .addMessage(
                    ChatCompletionToolMessageParam.builder()
                        .toolCallId(toolCall.id())
                        .content("Sunny, 21 C")
                        .build())
                .build());
    assertThat(answer.choices().get(0).message().content()).isPresent();
    assertThat(answer.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash"})
  void aJsonSchemaResponseFormatIsServed(String model) {
    ChatCompletion answer =
        billedOnce(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Extract the city: I live in Paris.")
                .responseFormat(
                    ResponseFormatJsonSchema.builder()
                        .jsonSchema(
                            ResponseFormatJsonSchema.JsonSchema.builder()
                                .name("city")
                                .strict(true)
                                .schema(
                                    ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                        .putAdditionalProperty("type", JsonValue.from("object"))
                                        .putAdditionalProperty(
                                            "properties",
                                            JsonValue.from(
                                                Map.of("city", Map.of("type", "string"))))
                                        .build())
                                .build())
                        .build())
                .build());
    assertThat(answer.choices().get(0).message().content().orElseThrow()).contains("Mock reply to");
  }

  /**
   * n choices where the API gives them (OpenAI's n, Gemini's candidateCount), billed as one call.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o-mini", "gemini-2.5-flash"})
  void severalChoicesComeFromOneCall(String model) {
    ChatCompletion answer =
        billedOnce(
            ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").n(3).build());
    assertThat(answer.choices()).hasSize(3);
    assertThat(answer.choices().get(2).index()).isEqualTo(2);
  }

  @Test
  void severalChoicesAreRefusedWhereNoDeploymentGivesThem() {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude-sonnet-4")
                            .addUserMessage("Hi")
                            .n(2)
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).contains("unsupported_parameter");
              assertThat(e.param()).contains("n");
            });
  }

  /**
   * The call's answer, after checking the mock billed exactly one call for it and Tollgate's cost
   * is that bill.
   */
  private static ChatCompletion billedOnce(ChatCompletionCreateParams params) {
    int before = stack.mock().ledger().entries().size();
    HttpResponseFor<ChatCompletion> raw =
        client.chat().completions().withRawResponse().create(params);
    ChatCompletion answer = raw.parse();
    List<LedgerEntry> billed = stack.mock().ledger().entries();
    assertThat(billed).hasSize(before + 1);
    LedgerEntry entry = billed.get(billed.size() - 1);
    assertThat(raw.headers().values("x-tollgate-cost-micros"))
        .containsExactly(Long.toString(entry.costMicros()));
    assertThat(answer.usage().orElseThrow().completionTokens()).isEqualTo(entry.tokens().output());
    return answer;
  }
}
