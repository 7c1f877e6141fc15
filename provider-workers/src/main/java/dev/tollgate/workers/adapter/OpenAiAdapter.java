package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI Chat Completions, also spoken by OpenAI-compatible servers (vLLM, Ollama, Groq, Together,
 * Mistral). Usage semantics: {@code cached_tokens} are part of {@code prompt_tokens} and {@code
 * reasoning_tokens} part of {@code completion_tokens}, so input = prompt - cached.
 */
public final class OpenAiAdapter implements ProviderAdapter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProviderEndpoint endpoint;

  public OpenAiAdapter(ProviderEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public HttpCall prepare(LlmRequest request, DeploymentRef deployment) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", deployment.getProviderModel());
    ArrayNode messages = body.putArray("messages");
    request.getMessages().forEach(m -> messages.add(message(m)));
    GenerationParams p = request.getParams();
    putIfSet(body, "temperature", p.getTemperature());
    putIfSet(body, "top_p", p.getTopP());
    putIfSet(body, "max_tokens", p.getMaxTokens());
    putIfSet(body, "seed", p.getSeed());
    putIfSet(body, "presence_penalty", p.getPresencePenalty());
    putIfSet(body, "frequency_penalty", p.getFrequencyPenalty());
    if (!p.getStop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      p.getStop().forEach(stop::add);
    }
    putJson(body, "response_format", p.getResponseFormatJson());
    putJson(body, "tools", p.getToolsJson());
    putJson(body, "tool_choice", p.getToolChoiceJson());
    if (request.getUser() != null) {
      body.put("user", request.getUser());
    }
    return new HttpCall(
        endpoint.baseUrl() + "/chat/completions",
        Map.of("Authorization", "Bearer " + endpoint.apiKey(), "Content-Type", "application/json"),
        body.toString());
  }

  @Override
  public ProviderResult parse(int status, String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      return new ProviderResult.Failure(
          status == 200 ? 502 : status,
          "invalid_response",
          null,
          "provider sent a body that is not JSON");
    }
    if (status / 100 != 2 || json == null || json.has("error")) {
      JsonNode error = json == null ? null : json.path("error");
      return new ProviderResult.Failure(
          status / 100 == 2 ? 502 : status,
          text(error, "type", "provider_error"),
          text(error, "code", null),
          text(error, "message", "provider answered HTTP " + status));
    }
    if (!json.path("choices").isArray() || json.path("choices").isEmpty()) {
      return new ProviderResult.Failure(
          502, "invalid_response", null, "provider answered without choices");
    }
    return new ProviderResult.Success(completion(json), usage(json.path("usage")));
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
                      .setContent(text(m, "content", null))
                      .setToolCalls(toolCalls)
                      .build())
              .setFinishReason(text(c, "finish_reason", null))
              .build());
    }
    return Completion.newBuilder()
        .setId(json.path("id").asText(""))
        .setCreated(json.path("created").asLong(0))
        .setModel(json.path("model").asText(""))
        .setChoices(choices)
        .setSystemFingerprint(text(json, "system_fingerprint", null))
        .build();
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode node = JSON.createObjectNode().put("role", m.getRole());
    if (m.getContent() != null) {
      node.put("content", m.getContent());
    } else {
      node.putNull("content");
    }
    if (m.getName() != null) {
      node.put("name", m.getName());
    }
    if (m.getToolCallId() != null) {
      node.put("tool_call_id", m.getToolCallId());
    }
    if (!m.getToolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall t : m.getToolCalls()) {
        ObjectNode call = calls.addObject().put("id", t.getId()).put("type", t.getType());
        call.putObject("function")
            .put("name", t.getFunctionName())
            .put("arguments", t.getArguments());
      }
    }
    return node;
  }

  private static void putIfSet(ObjectNode body, String field, Number value) {
    if (value != null) {
      body.putPOJO(field, value);
    }
  }

  private static void putJson(ObjectNode body, String field, String json) {
    if (json == null) {
      return;
    }
    try {
      body.set(field, JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON", e);
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    if (node == null) {
      return fallback;
    }
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? fallback : value.asText();
  }
}
