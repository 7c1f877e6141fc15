package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.Embeddings;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * OpenAI Chat Completions and Embeddings, also spoken by OpenAI-compatible servers (vLLM, Ollama,
 * Groq, Together, Mistral) and by Azure OpenAI ({@code azure-openai}: the deployment in the URL, an
 * {@code api-key} header, an {@code api-version} parameter). Usage semantics: {@code cached_tokens}
 * are part of {@code prompt_tokens} and {@code reasoning_tokens} part of {@code completion_tokens},
 * so input = prompt - cached.
 */
public final class OpenAiAdapter implements ProviderAdapter {

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Set<String> FINISH_REASONS =
      Set.of("stop", "length", "tool_calls", "content_filter", "function_call");

  private final ProviderEndpoint endpoint;
  private final Clock clock;

  /**
   * @param clock what {@code Retry-After} dates are read against
   */
  public OpenAiAdapter(ProviderEndpoint endpoint, Clock clock) {
    this.endpoint = endpoint;
    this.clock = clock;
  }

  @Override
  public HttpCall prepare(LlmRequest request, DeploymentRef deployment) {
    if (request.getEmbedding() != null) {
      return call(deployment, "embeddings", embeddingsBody(request, deployment));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("model", deployment.getProviderModel());
    ArrayNode messages = body.putArray("messages");
    request.getMessages().forEach(m -> messages.add(message(m)));
    GenerationParams p = request.getParams();
    Json.putIfSet(body, "temperature", p.getTemperature());
    Json.putIfSet(body, "top_p", p.getTopP());
    Json.putIfSet(
        body,
        deployment.getOutputCapParam() == null ? "max_tokens" : deployment.getOutputCapParam(),
        p.getMaxTokens());
    Json.putIfSet(body, "n", p.getN());
    Json.putIfSet(body, "seed", p.getSeed());
    Json.putIfSet(body, "presence_penalty", p.getPresencePenalty());
    Json.putIfSet(body, "frequency_penalty", p.getFrequencyPenalty());
    if (!p.getStop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      p.getStop().forEach(stop::add);
    }
    putCarried(body, "response_format", p.getResponseFormatJson());
    putCarried(body, "tools", p.getToolsJson());
    putCarried(body, "tool_choice", p.getToolChoiceJson());
    Json.putIfSet(body, "parallel_tool_calls", p.getParallelToolCalls());
    Json.putIfSet(body, "reasoning_effort", p.getReasoningEffort());
    Json.putIfSet(body, "logprobs", p.getLogprobs());
    Json.putIfSet(body, "top_logprobs", p.getTopLogprobs());
    Json.putIfSet(body, "service_tier", p.getServiceTier());
    if (request.getUser() != null) {
      body.put("user", request.getUser());
    }
    return call(deployment, "chat/completions", body);
  }

  /** An embeddings body; vectors are always asked as floats (ingest encodes base64 itself). */
  private static ObjectNode embeddingsBody(LlmRequest request, DeploymentRef deployment) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", deployment.getProviderModel());
    ArrayNode input = body.putArray("input");
    request.getEmbedding().getInputs().forEach(input::add);
    Json.putIfSet(body, "dimensions", request.getEmbedding().getDimensions());
    body.put("encoding_format", "float");
    if (request.getUser() != null) {
      body.put("user", request.getUser());
    }
    return body;
  }

  private HttpCall call(DeploymentRef deployment, String operation, ObjectNode body) {
    if ("azure-openai".equals(endpoint.api())) {
      // Azure addresses its deployment in the URL and authenticates with an api-key header.
      return new HttpCall(
          endpoint.baseUrl()
              + "/openai/deployments/"
              + URLEncoder.encode(deployment.getProviderModel(), StandardCharsets.UTF_8)
              + "/"
              + operation
              + "?api-version="
              + URLEncoder.encode(endpoint.apiVersion(), StandardCharsets.UTF_8),
          Map.of("api-key", endpoint.apiKey(), "Content-Type", "application/json"),
          body.toString());
    }
    return new HttpCall(
        endpoint.baseUrl() + "/" + operation,
        Map.of("Authorization", "Bearer " + endpoint.apiKey(), "Content-Type", "application/json"),
        body.toString());
  }

  private static void putCarried(ObjectNode body, String field, String json) {
    if (json != null) {
      body.set(field, Json.parseCarried(field, json));
    }
  }

  @Override
  public ProviderResult parse(int status, Function<String, String> headers, String body) {
    ProviderResponse response = ProviderResponse.read(status, headers, body, clock);
    Optional<ProviderResult.Failure> failed =
        response.failure(json -> json.has("error"), "type", "code");
    if (failed.isPresent()) {
      return failed.get();
    }
    JsonNode json = response.json();
    if ("list".equals(json.path("object").asText())) {
      return embeddings(json);
    }
    if (!json.path("choices").isArray() || json.path("choices").isEmpty()) {
      return new ProviderResult.Failure(
          502, "invalid_response", null, "provider answered without choices");
    }
    for (JsonNode choice : json.path("choices")) {
      String reason = Json.text(choice, "finish_reason", "stop");
      if (!FINISH_REASONS.contains(reason)) {
        return ProviderResult.Failure.unknownFinishReason(reason);
      }
    }
    return ProviderResult.Success.of(completion(json), usage(json.path("usage")));
  }

  /** An embeddings list: each vector at its {@code index}, every index given once. */
  private static ProviderResult embeddings(JsonNode json) {
    JsonNode data = json.path("data");
    List<List<Float>> vectors = new ArrayList<>(Collections.nCopies(data.size(), null));
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      if (index < 0 || index >= data.size() || vectors.get(index) != null) {
        return new ProviderResult.Failure(
            502, "invalid_response", null, "provider answered embeddings with bad indexes");
      }
      List<Float> vector = new ArrayList<>(item.path("embedding").size());
      item.path("embedding").forEach(v -> vector.add(v.floatValue()));
      vectors.set(index, vector);
    }
    Embeddings embeddings =
        Embeddings.newBuilder().setModel(json.path("model").asText("")).setVectors(vectors).build();
    return ProviderResult.Success.of(embeddings, usage(json.path("usage")));
  }

  static TokenUsage usage(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    return TokenUsage.newBuilder()
        .setInputTokens(prompt - cached)
        .setCachedInputTokens(cached)
        .setOutputTokens(usage.path("completion_tokens").asLong(0))
        .setReasoningTokens(
            usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0))
        .build();
  }

  private static Completion completion(JsonNode json) {
    List<Choice> choices = new ArrayList<>();
    for (JsonNode c : json.path("choices")) {
      JsonNode m = c.path("message");
      List<ToolCall> toolCalls = new ArrayList<>();
      for (JsonNode t : m.path("tool_calls")) {
        toolCalls.add(
            ToolCall.newBuilder()
                .setId(t.path("id").asText())
                .setType(t.path("type").asText("function"))
                .setFunctionName(t.path("function").path("name").asText())
                .setArguments(t.path("function").path("arguments").asText(""))
                .build());
      }
      choices.add(
          Choice.newBuilder()
              .setIndex(c.path("index").asInt(choices.size()))
              .setMessage(
                  ChatMessage.newBuilder()
                      .setRole(m.path("role").asText("assistant"))
                      .setContent(Json.text(m, "content", null))
                      .setToolCalls(toolCalls)
                      .build())
              .setFinishReason(Json.text(c, "finish_reason", null))
              .build());
    }
    return Completion.newBuilder()
        .setId(json.path("id").asText(""))
        .setCreated(json.path("created").asLong(0))
        .setModel(json.path("model").asText(""))
        .setChoices(choices)
        .setSystemFingerprint(Json.text(json, "system_fingerprint", null))
        .build();
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode node = JSON.createObjectNode().put("role", m.getRole());
    if (!m.getParts().isEmpty()) {
      node.set("content", PartsJson.openAi(m.getParts()));
    } else if (m.getContent() != null) {
      node.put("content", m.getContent());
    } else {
      node.putNull("content");
    }
    if (m.getName() != null) {
      node.put("name", m.getName());
    }
    if (m.getToolCallId() != null) {
      node.put("tool_call_id", ToolCallIds.plain(m.getToolCallId()));
    }
    if (!m.getToolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall t : m.getToolCalls()) {
        ObjectNode call =
            calls.addObject().put("id", ToolCallIds.plain(t.getId())).put("type", t.getType());
        call.putObject("function")
            .put("name", t.getFunctionName())
            .put("arguments", t.getArguments());
      }
    }
    return node;
  }
}
