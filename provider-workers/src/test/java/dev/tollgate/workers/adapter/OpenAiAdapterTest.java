package dev.tollgate.workers.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.EmbeddingInput;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Function<String, String> NO_HEADERS = name -> null;
  private final ProviderEndpoint endpoint =
      ProviderEndpoint.of(
          new ProviderSpec(
              "openai", "openai", "https://api.example.test/v1/", "OPENAI_API_KEY", null),
          Map.of("OPENAI_API_KEY", "sk-test-secret"),
          null);
  private final OpenAiAdapter adapter = new OpenAiAdapter(endpoint, Clock.systemUTC());

  @Test
  void buildsTheChatCompletionsRequest() throws IOException {
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId("r1")
            .setTeamId("t")
            .setKeyId("k")
            .setModel("gpt-4o-mini")
            .setMessages(
                List.of(
                    ChatMessage.newBuilder().setRole("system").setContent("Be brief.").build(),
                    ChatMessage.newBuilder()
                        .setRole("user")
                        .setContent("Weather in Boston?")
                        .setName("ana")
                        .build(),
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
                    .setTemperature(0.0)
                    .setMaxTokens(50)
                    .setSeed(7L)
                    .setStop(List.of("\n\n"))
                    .setResponseFormatJson("{\"type\":\"json_object\"}")
                    .setToolsJson(
                        "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]")
                    .build())
            .setUser("u-1")
            .setCreatedAt(Instant.EPOCH)
            .setDeadlineAt(Instant.EPOCH)
            .build();
    DeploymentRef deployment =
        DeploymentRef.newBuilder()
            .setDeploymentId("d")
            .setProvider("openai")
            .setProviderModel("gpt-4o-mini-2024-07-18")
            .build();

    HttpCall call = adapter.prepare(request, deployment);

    assertThat(call.url()).isEqualTo("https://api.example.test/v1/chat/completions");
    assertThat(call.headers()).containsEntry("Authorization", "Bearer sk-test-secret");
    assertThat(JSON.readTree(call.body())).isEqualTo(JSON.readTree(golden("openai-request.json")));
    assertThat(call.toString()).doesNotContain("sk-test-secret");
    assertThat(endpoint.toString()).doesNotContain("sk-test-secret");
  }

  /** OpenAI's embeddings request and response, as its API reference shows them. */
  @Test
  void embeddingsGoToTheEmbeddingsEndpointAndComeBackInTheirInputsOrder() throws IOException {
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId("r1")
            .setTeamId("t")
            .setKeyId("k")
            .setModel("text-embedding-3-small")
            .setMessages(List.of())
            .setParams(GenerationParams.newBuilder().build())
            .setEmbedding(
                EmbeddingInput.newBuilder()
                    .setInputs(List.of("a", "b"))
                    .setDimensions(2)
                    .setEncodingFormat("base64")
                    .build())
            .setCreatedAt(Instant.EPOCH)
            .setDeadlineAt(Instant.EPOCH)
            .build();
    DeploymentRef deployment =
        DeploymentRef.newBuilder()
            .setDeploymentId("d")
            .setProvider("openai")
            .setProviderModel("text-embedding-3-small")
            .build();

    HttpCall call = adapter.prepare(request, deployment);

    assertThat(call.url()).isEqualTo("https://api.example.test/v1/embeddings");
    assertThat(JSON.readTree(call.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],"
                    + "\"dimensions\":2,\"encoding_format\":\"float\"}"));
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(
                200,
                NO_HEADERS,
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,"
                    + "\"embedding\":[0.5,-0.25]},{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[1.0,0.0]}],\"model\":\"text-embedding-3-small\","
                    + "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
    assertThat(success.completion()).isNull();
    assertThat(success.embeddings().getVectors())
        .containsExactly(List.of(1.0f, 0.0f), List.of(0.5f, -0.25f));
    assertThat(success.usage().getInputTokens()).isEqualTo(2);

    assertThat(
            adapter.parse(
                200,
                NO_HEADERS,
                "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[1]},"
                    + "{\"index\":0,\"embedding\":[2]}]}"))
        .isInstanceOf(ProviderResult.Failure.class);
  }

  @Test
  void aReasoningModelGetsMaxCompletionTokensAndOpenAisOwnParameters() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setParams(
                GenerationParams.newBuilder()
                    .setMaxTokens(500)
                    .setReasoningEffort("high")
                    .setParallelToolCalls(false)
                    .setServiceTier("flex")
                    .build())
            .build();
    DeploymentRef o4 =
        DeploymentRef.newBuilder(Golden.deployment("openai", "o4-mini"))
            .setOutputCapParam("max_completion_tokens")
            .build();

    JsonNode body = JSON.readTree(adapter.prepare(request, o4).body());

    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(500);
    assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
    assertThat(body.path("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(body.path("service_tier").asText()).isEqualTo("flex");
  }

  @Test
  void logprobsPassAsTheyAre() throws IOException {
    LlmRequest request =
        Golden.toolConversation()
            .setParams(GenerationParams.newBuilder().setLogprobs(true).setTopLogprobs(3).build())
            .build();

    JsonNode body =
        JSON.readTree(adapter.prepare(request, Golden.deployment("openai", "gpt-4o-mini")).body());

    assertThat(body.path("logprobs").asBoolean()).isTrue();
    assertThat(body.path("top_logprobs").asInt()).isEqualTo(3);
    assertThat(body.path("max_tokens").isMissingNode()).isTrue();
  }

  @Test
  void cachedTokensArePartOfPromptTokens() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, golden("openai-chat-response.json"));

    assertThat(success.usage().getInputTokens()).isEqualTo(1117 - 1024);
    assertThat(success.usage().getCachedInputTokens()).isEqualTo(1024);
    assertThat(success.usage().getOutputTokens()).isEqualTo(46);
    assertThat(success.usage().getReasoningTokens()).isEqualTo(12);
    assertThat(success.completion().getModel()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(success.completion().getChoices().get(0).getMessage().getContent())
        .startsWith("The image shows");
    assertThat(success.completion().getChoices().get(0).getFinishReason()).isEqualTo("stop");
  }

  @Test
  void readsToolCalls() throws IOException {
    ProviderResult.Success success =
        (ProviderResult.Success)
            adapter.parse(200, NO_HEADERS, golden("openai-tool-call-response.json"));

    ChatMessage message = success.completion().getChoices().get(0).getMessage();
    assertThat(message.getContent()).isNull();
    assertThat(message.getToolCalls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.getFunctionName()).isEqualTo("get_current_weather");
              assertThat(call.getArguments()).contains("Boston, MA");
            });
    assertThat(success.usage().getInputTokens()).isEqualTo(82);
  }

  @Test
  void providerErrorsBecomeTypedFailures() throws IOException {
    ProviderResult.Failure quota =
        (ProviderResult.Failure)
            adapter.parse(429, NO_HEADERS, golden("openai-error-insufficient-quota.json"));
    assertThat(quota.status()).isEqualTo(429);
    assertThat(quota.code()).isEqualTo("insufficient_quota");
    assertThat(quota.message()).contains("exceeded your current quota");

    ProviderResult.Failure html =
        (ProviderResult.Failure) adapter.parse(502, NO_HEADERS, "<html>Bad gateway</html>");
    assertThat(html.status()).isEqualTo(502);
    assertThat(html.type()).isEqualTo("invalid_response");

    ProviderResult.Failure okButBroken =
        (ProviderResult.Failure) adapter.parse(200, NO_HEADERS, "{\"choices\": []}");
    assertThat(okButBroken.status()).isEqualTo(502);

    ProviderResult.Failure errorInside =
        (ProviderResult.Failure)
            adapter.parse(
                200,
                NO_HEADERS,
                "{\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}");
    assertThat(errorInside.status()).isEqualTo(502);
    assertThat(errorInside.message()).isEqualTo("overloaded");
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = OpenAiAdapterTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void unknownFinishReasonsAreTypedFailuresThatFallBackWithoutRetrying() {
    ProviderResult result =
        adapter.parse(
            200,
            NO_HEADERS,
            "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"x\"},"
                + " \"finish_reason\": \"vibes\"}], \"usage\": {}}");

    Golden.assertUnknownFinishReason(result);
  }

  @Test
  void azureAddressesTheDeploymentInTheUrlWithAnApiKeyHeader() {
    OpenAiAdapter azure =
        new OpenAiAdapter(
            Golden.endpoint("azure-openai", "AZURE_OPENAI_API_KEY", "az-secret"),
            Clock.systemUTC());

    HttpCall call =
        azure.prepare(
            Golden.toolConversation().build(), Golden.deployment("azure", "my-gpt-4o-mini"));

    assertThat(call.url())
        .isEqualTo(
            "https://api.example.test/v1/openai/deployments/my-gpt-4o-mini/chat/completions?api-version=2024-10-21");
    assertThat(call.headers())
        .containsEntry("api-key", "az-secret")
        .doesNotContainKey("Authorization");
  }
}
