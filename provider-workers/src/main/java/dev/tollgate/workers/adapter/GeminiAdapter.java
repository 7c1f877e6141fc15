package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.platform.schema.GeminiSchema;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Google Gemini {@code models/<model>:generateContent}. Messages become {@code contents} with roles
 * {@code user} and {@code model}; system and developer messages become {@code systemInstruction}.
 * Usage: {@code cachedContentTokenCount} is part of {@code promptTokenCount}; {@code
 * thoughtsTokenCount} is billed as output in addition to {@code candidatesTokenCount}.
 */
public final class GeminiAdapter implements ProviderAdapter {

  private static final Map<String, String> FINISH_REASONS =
      Map.of(
          "STOP", "stop",
          "MAX_TOKENS", "length",
          "SAFETY", "content_filter",
          "RECITATION", "content_filter",
          "BLOCKLIST", "content_filter",
          "PROHIBITED_CONTENT", "content_filter",
          "SPII", "content_filter",
          "MALFORMED_FUNCTION_CALL", "stop");

  private final ProviderEndpoint endpoint;
  private final Clock clock;

  /**
   * @param clock what {@code Retry-After} dates are read against, and the time an answer is created
   *     at (the API gives none)
   */
  public GeminiAdapter(ProviderEndpoint endpoint, Clock clock) {
    this.endpoint = endpoint;
    this.clock = clock;
  }

  @Override
  public HttpCall prepare(LlmRequest request, DeploymentRef deployment) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode contents = body.putArray("contents");
    List<String> system = new ArrayList<>();
    Map<String, String> toolNames = new HashMap<>();
    for (ChatMessage m : request.getMessages()) {
      switch (m.getRole()) {
        case "system", "developer" -> system.add(m.getContent() == null ? "" : m.getContent());
        case "assistant" -> contents.add(model(m, toolNames));
        case "tool" -> contents.add(functionResponse(m, toolNames));
        default -> {
          ObjectNode user = contents.addObject().put("role", "user");
          if (m.getParts().isEmpty()) {
            text(user, m.getContent());
          } else {
            user.set("parts", PartsJson.gemini(m.getParts()));
          }
        }
      }
    }
    if (!system.isEmpty()) {
      body.putObject("systemInstruction")
          .putArray("parts")
          .addObject()
          .put("text", String.join("\n\n", system));
    }
    GenerationParams p = request.getParams();
    ObjectNode config = body.putObject("generationConfig");
    Json.putIfSet(config, "temperature", p.getTemperature());
    Json.putIfSet(config, "topP", p.getTopP());
    Json.putIfSet(config, "maxOutputTokens", p.getMaxTokens());
    Json.putIfSet(config, "candidateCount", p.getN());
    Json.putIfSet(config, "seed", p.getSeed());
    Json.putIfSet(config, "presencePenalty", p.getPresencePenalty());
    Json.putIfSet(config, "frequencyPenalty", p.getFrequencyPenalty());
    if (!p.getStop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      p.getStop().forEach(stop::add);
    }
    if (p.getReasoningEffort() != null) {
      config
          .putObject("thinkingConfig")
          .put("thinkingBudget", thinkingBudget(p.getReasoningEffort()));
    }
    if (p.getResponseFormatJson() != null) {
      responseFormat(Json.parseCarried("response_format", p.getResponseFormatJson()), config);
    }
    if (p.getToolsJson() != null) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (JsonNode tool : Json.parseCarried("tools", p.getToolsJson())) {
        declarations.add(declaration(tool.path("function")));
      }
    }
    if (p.getToolChoiceJson() != null) {
      body.putObject("toolConfig")
          .set(
              "functionCallingConfig",
              functionCalling(Json.parseCarried("tool_choice", p.getToolChoiceJson())));
    }
    return new HttpCall(
        endpoint.baseUrl() + "/models/" + deployment.getProviderModel() + ":generateContent",
        Map.of("x-goog-api-key", endpoint.apiKey(), "Content-Type", "application/json"),
        body.toString());
  }

  /**
   * OpenAI's {@code reasoning_effort} as a Gemini 2.5 thinking budget: {@code low}, {@code medium}
   * and {@code high} as Google maps them in its OpenAI compatibility layer (1,024, 8,192 and 24,576
   * tokens); {@code minimal} as 512.
   */
  static int thinkingBudget(String effort) {
    return switch (effort) {
      case "minimal" -> 512;
      case "low" -> 1_024;
      case "medium" -> 8_192;
      default -> 24_576;
    };
  }

  /**
   * OpenAI's {@code response_format} as Gemini's: JSON mode as {@code responseMimeType}, a JSON
   * schema also as {@code responseSchema} in Gemini's subset (the router sends here only schemas
   * that fit it).
   */
  private static void responseFormat(JsonNode format, ObjectNode config) {
    String type = format.path("type").asText();
    if ("text".equals(type)) {
      return;
    }
    config.put("responseMimeType", "application/json");
    if ("json_schema".equals(type)) {
      config.set("responseSchema", geminiSchema(format.path("json_schema").path("schema")));
    }
  }

  /** An OpenAI function as a Gemini function declaration, its parameters in Gemini's subset. */
  private static ObjectNode declaration(JsonNode function) {
    ObjectNode declaration = Json.MAPPER.createObjectNode();
    declaration.put("name", function.path("name").asText());
    if (function.has("description")) {
      declaration.put("description", function.path("description").asText());
    }
    if (function.has("parameters")) {
      declaration.set("parameters", geminiSchema(function.get("parameters")));
    }
    return declaration;
  }

  private static JsonNode geminiSchema(JsonNode schema) {
    try {
      return GeminiSchema.of(schema);
    } catch (GeminiSchema.Unsupported e) {
      // Routing sends Gemini only schemas that fit its subset (ApiParameters).
      throw new IllegalArgumentException("a schema Gemini cannot take reached it: " + e, e);
    }
  }

  /**
   * OpenAI's {@code tool_choice} as Gemini's {@code functionCallingConfig}: {@code auto}, {@code
   * none}, {@code required} as mode {@code ANY}, a named function as {@code ANY} limited to it.
   */
  private static ObjectNode functionCalling(JsonNode choice) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    if (choice.isObject()) {
      config.put("mode", "ANY");
      config.putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
    } else {
      config.put(
          "mode",
          switch (choice.asText()) {
            case "none" -> "NONE";
            case "required" -> "ANY";
            default -> "AUTO";
          });
    }
    return config;
  }

  @Override
  public ProviderResult parse(int status, Function<String, String> headers, String body) {
    ProviderResponse response = ProviderResponse.read(status, headers, body, clock);
    Optional<ProviderResult.Failure> failed =
        response.failure(json -> json.has("error"), "status", "status");
    if (failed.isPresent()) {
      return failed.get();
    }
    JsonNode json = response.json();
    JsonNode candidates = json.path("candidates");
    if (!candidates.isArray() || candidates.isEmpty()) {
      String blocked = Json.text(json.path("promptFeedback"), "blockReason", null);
      return blocked != null
          ? new ProviderResult.Failure(
              400, "invalid_request_error", "content_filter", "prompt blocked: " + blocked)
          : new ProviderResult.Failure(
              502, "invalid_response", null, "provider answered without candidates");
    }
    String responseId = Json.text(json, "responseId", "");
    List<Choice> choices = new ArrayList<>();
    int calls = 0;
    for (JsonNode candidate : candidates) {
      String reason = Json.text(candidate, "finishReason", "STOP");
      String finish = FINISH_REASONS.get(reason);
      if (finish == null) {
        return ProviderResult.Failure.unknownFinishReason(reason);
      }
      StringBuilder text = new StringBuilder();
      List<ToolCall> toolCalls = new ArrayList<>();
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.has("functionCall")) {
          JsonNode call = part.get("functionCall");
          String id = Json.text(call, "id", ToolCallIds.mint(responseId, calls++));
          toolCalls.add(
              ToolCall.newBuilder()
                  .setId(ToolCallIds.signed(id, Json.text(part, "thoughtSignature", null)))
                  .setFunctionName(call.path("name").asText())
                  .setArguments(call.path("args").toString())
                  .build());
        } else if (part.has("text") && !part.path("thought").asBoolean(false)) {
          text.append(part.path("text").asText());
        }
      }
      choices.add(
          Choices.choice(
              candidate.path("index").asInt(choices.size()),
              text,
              toolCalls,
              toolCalls.isEmpty() ? finish : "tool_calls"));
    }
    Completion completion =
        Choices.of(responseId, Json.text(json, "modelVersion", ""), choices, clock.instant());
    return ProviderResult.Success.of(completion, usage(json.path("usageMetadata")));
  }

  static TokenUsage usage(JsonNode usage) {
    long prompt = usage.path("promptTokenCount").asLong(0);
    long cached = usage.path("cachedContentTokenCount").asLong(0);
    long thoughts = usage.path("thoughtsTokenCount").asLong(0);
    return TokenUsage.newBuilder()
        .setInputTokens(prompt - cached)
        .setCachedInputTokens(cached)
        .setOutputTokens(usage.path("candidatesTokenCount").asLong(0) + thoughts)
        .setReasoningTokens(thoughts)
        .build();
  }

  private static ObjectNode model(ChatMessage m, Map<String, String> toolNames) {
    ObjectNode content = Json.MAPPER.createObjectNode().put("role", "model");
    ArrayNode parts = content.putArray("parts");
    if (m.getContent() != null && !m.getContent().isEmpty()) {
      parts.addObject().put("text", m.getContent());
    }
    for (ToolCall call : m.getToolCalls()) {
      toolNames.put(call.getId(), call.getFunctionName());
      ObjectNode part = parts.addObject();
      ObjectNode fn = part.putObject("functionCall");
      fn.put("name", call.getFunctionName());
      fn.set("args", Json.arguments(call.getArguments()));
      // Where Gemini put it: on the function call's part, as it came.
      ToolCallIds.signature(call.getId()).ifPresent(s -> part.put("thoughtSignature", s));
    }
    if (parts.isEmpty()) {
      parts.addObject().put("text", "");
    }
    return content;
  }

  private static ObjectNode functionResponse(ChatMessage m, Map<String, String> toolNames) {
    String name = toolNames.get(m.getToolCallId());
    if (name == null) {
      throw new IllegalArgumentException(
          "tool message answers unknown tool call '" + m.getToolCallId() + "'");
    }
    ObjectNode content = Json.MAPPER.createObjectNode().put("role", "user");
    ObjectNode response = content.putArray("parts").addObject().putObject("functionResponse");
    response.put("name", name);
    response.putObject("response").put("content", m.getContent() == null ? "" : m.getContent());
    return content;
  }

  private static void text(ObjectNode content, String text) {
    content.putArray("parts").addObject().put("text", text == null ? "" : text);
  }
}
