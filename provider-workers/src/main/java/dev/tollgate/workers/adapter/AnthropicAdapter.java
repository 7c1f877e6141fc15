package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.platform.catalog.AnthropicParameters;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Anthropic Messages ({@code POST /messages}). System and developer messages are hoisted into
 * {@code system}; {@code max_tokens} is required, so requests without one get {@value
 * #DEFAULT_MAX_TOKENS}; temperature is capped at 1 (Anthropic's range); {@code response_format} has
 * no equivalent and is not sent. Usage: {@code cache_read_input_tokens} and {@code
 * cache_creation_input_tokens} come in addition to {@code input_tokens}.
 */
public final class AnthropicAdapter implements ProviderAdapter {

  static final String VERSION = "2023-06-01";
  static final int DEFAULT_MAX_TOKENS = 4096;
  private static final Map<String, String> FINISH_REASONS =
      Map.of(
          "end_turn", "stop",
          "stop_sequence", "stop",
          "max_tokens", "length",
          "tool_use", "tool_calls",
          "pause_turn", "stop",
          "refusal", "content_filter");

  /**
   * The tool a structured response format is forced through: Anthropic answers in a schema by
   * calling a tool whose input is that schema, and its input is the answer (decision 0035).
   */
  static final String ANSWER_TOOL = "tollgate_json_answer";

  private final ProviderEndpoint endpoint;
  private final Clock clock;

  /**
   * @param clock what {@code Retry-After} dates are read against, and the time an answer is created
   *     at (the API gives none)
   */
  public AnthropicAdapter(ProviderEndpoint endpoint, Clock clock) {
    this.endpoint = endpoint;
    this.clock = clock;
  }

  @Override
  public HttpCall prepare(LlmRequest request, DeploymentRef deployment) {
    GenerationParams p = request.getParams();
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", deployment.getProviderModel());
    if (p.getReasoningEffort() == null) {
      body.put("max_tokens", p.getMaxTokens() == null ? DEFAULT_MAX_TOKENS : p.getMaxTokens());
    } else {
      // Extended thinking: max_tokens covers thinking and answer, as OpenAI's cap covers both.
      int budget = AnthropicParameters.thinkingBudget(p.getReasoningEffort());
      body.put(
          "max_tokens", p.getMaxTokens() == null ? budget + DEFAULT_MAX_TOKENS : p.getMaxTokens());
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    List<ChatMessage> system = new ArrayList<>();
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : request.getMessages()) {
      switch (m.getRole()) {
        case "system", "developer" -> system.add(m);
        case "assistant" -> messages.add(cached(assistant(m), m));
        case "tool" -> messages.add(cached(toolResult(m), m));
        default -> {
          ObjectNode user = messages.addObject().put("role", "user");
          if (m.getParts().isEmpty()) {
            user.put("content", orEmpty(m.getContent()));
          } else {
            user.set("content", PartsJson.anthropic(m.getParts()));
          }
          cached(user, m);
        }
      }
    }
    system(system, body);
    // Above 1 (Anthropic's top) the router sends the request elsewhere (ApiParameters).
    Json.putIfSet(body, "temperature", p.getTemperature());
    Json.putIfSet(body, "top_p", p.getTopP());
    if (!p.getStop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      p.getStop().forEach(stop::add);
    }
    if (p.getToolsJson() != null) {
      ArrayNode tools = body.putArray("tools");
      for (JsonNode tool : Json.parseCarried("tools", p.getToolsJson())) {
        JsonNode fn = tool.path("function");
        ObjectNode t = tools.addObject().put("name", fn.path("name").asText());
        if (fn.has("description")) {
          t.put("description", fn.path("description").asText());
        }
        t.set(
            "input_schema",
            fn.has("parameters")
                ? fn.get("parameters")
                : Json.MAPPER.createObjectNode().put("type", "object"));
      }
    }
    if (p.getToolChoiceJson() != null || Boolean.FALSE.equals(p.getParallelToolCalls())) {
      ObjectNode choice =
          p.getToolChoiceJson() == null
              ? Json.MAPPER.createObjectNode().put("type", "auto")
              : toolChoice(Json.parseCarried("tool_choice", p.getToolChoiceJson()));
      if (Boolean.FALSE.equals(p.getParallelToolCalls())
          && !"none".equals(choice.path("type").asText())) {
        // Anthropic's way of OpenAI's parallel_tool_calls: false (on auto, any and tool).
        choice.put("disable_parallel_tool_use", true);
      }
      body.set("tool_choice", choice);
    }
    if (p.getResponseFormatJson() != null) {
      forceAnswerTool(Json.parseCarried("response_format", p.getResponseFormatJson()), body);
    }
    if (request.getUser() != null) {
      body.putObject("metadata").put("user_id", request.getUser());
    }
    return new HttpCall(
        endpoint.baseUrl() + "/messages",
        Map.of(
            "x-api-key",
            endpoint.apiKey(),
            "anthropic-version",
            VERSION,
            "Content-Type",
            "application/json"),
        body.toString());
  }

  @Override
  public ProviderResult parse(int status, Function<String, String> headers, String body) {
    ProviderResponse response = ProviderResponse.read(status, headers, body, clock);
    Optional<ProviderResult.Failure> failed =
        response.failure(json -> "error".equals(Json.text(json, "type", null)), "type", "type");
    if (failed.isPresent()) {
      return failed.get();
    }
    JsonNode json = response.json();
    String stopReason = Json.text(json, "stop_reason", "end_turn");
    String finish = FINISH_REASONS.get(stopReason);
    if (finish == null) {
      return ProviderResult.Failure.unknownFinishReason(stopReason);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : json.path("content")) {
      String type = block.path("type").asText();
      if ("tool_use".equals(type) && ANSWER_TOOL.equals(block.path("name").asText())) {
        // The forced answer of a structured response format: the message's content.
        text.setLength(0);
        text.append(block.path("input").toString());
        finish = "stop";
        continue;
      }
      switch (type) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" ->
            toolCalls.add(
                ToolCall.newBuilder()
                    .setId(block.path("id").asText())
                    .setFunctionName(block.path("name").asText())
                    .setArguments(block.path("input").toString())
                    .build());
        default -> {
          // Thinking and other block types are not part of the OpenAI-shaped answer.
        }
      }
    }
    Completion completion =
        Choices.of(
            Json.text(json, "id", ""),
            Json.text(json, "model", ""),
            List.of(Choices.choice(0, text, toolCalls, finish)),
            clock.instant());
    return ProviderResult.Success.of(completion, usage(json.path("usage")));
  }

  static TokenUsage usage(JsonNode usage) {
    return TokenUsage.newBuilder()
        .setInputTokens(usage.path("input_tokens").asLong(0))
        .setCachedInputTokens(usage.path("cache_read_input_tokens").asLong(0))
        .setCacheWriteTokens(fiveMinuteWrites(usage))
        .setCacheWrite1hTokens(
            usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0))
        .setOutputTokens(usage.path("output_tokens").asLong(0))
        .build();
  }

  /**
   * The five-minute cache writes: {@code cache_creation.ephemeral_5m_input_tokens} where Anthropic
   * splits them by time to live, else all of {@code cache_creation_input_tokens} (five minutes is
   * the default).
   */
  private static long fiveMinuteWrites(JsonNode usage) {
    JsonNode split = usage.path("cache_creation");
    return split.has("ephemeral_5m_input_tokens")
        ? split.path("ephemeral_5m_input_tokens").asLong(0)
        : usage.path("cache_creation_input_tokens").asLong(0)
            - split.path("ephemeral_1h_input_tokens").asLong(0);
  }

  private static ObjectNode assistant(ChatMessage m) {
    ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant");
    if (m.getToolCalls().isEmpty()) {
      return message.put("content", orEmpty(m.getContent()));
    }
    ArrayNode content = message.putArray("content");
    if (m.getContent() != null && !m.getContent().isEmpty()) {
      content.addObject().put("type", "text").put("text", m.getContent());
    }
    for (ToolCall call : m.getToolCalls()) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", ToolCallIds.plain(call.getId()))
          .put("name", call.getFunctionName())
          .set("input", Json.arguments(call.getArguments()));
    }
    return message;
  }

  /**
   * A {@code json_object} or {@code json_schema} response format as a forced tool whose input
   * schema is the format's (any object for JSON mode). The router sends here only formats without
   * tools of the request's own, with an object schema (ApiParameters).
   */
  private static void forceAnswerTool(JsonNode format, ObjectNode body) {
    String type = format.path("type").asText();
    if ("text".equals(type)) {
      return;
    }
    JsonNode schema =
        "json_schema".equals(type)
            ? format.path("json_schema").path("schema")
            : Json.MAPPER.createObjectNode().put("type", "object");
    body.putArray("tools")
        .addObject()
        .put("name", ANSWER_TOOL)
        .put("description", "Answer with this tool: its input is the answer, as JSON.")
        .set("input_schema", schema);
    body.putObject("tool_choice").put("type", "tool").put("name", ANSWER_TOOL);
  }

  private static ObjectNode toolResult(ChatMessage m) {
    ObjectNode message = Json.MAPPER.createObjectNode().put("role", "user");
    message
        .putArray("content")
        .addObject()
        .put("type", "tool_result")
        .put("tool_use_id", ToolCallIds.plain(m.getToolCallId()))
        .put("content", orEmpty(m.getContent()));
    return message;
  }

  private static ObjectNode toolChoice(JsonNode choice) {
    ObjectNode result = Json.MAPPER.createObjectNode();
    if (choice.isTextual()) {
      return result.put(
          "type",
          switch (choice.asText()) {
            case "required" -> "any";
            case "none" -> "none";
            default -> "auto";
          });
    }
    return result.put("type", "tool").put("name", choice.path("function").path("name").asText());
  }

  /**
   * The system messages: one string, or, when one marks a cache breakpoint, text blocks (one per
   * message) with the breakpoint on its block.
   */
  private static void system(List<ChatMessage> system, ObjectNode body) {
    if (system.isEmpty()) {
      return;
    }
    if (system.stream().allMatch(m -> m.getCacheControl() == null)) {
      body.put(
          "system",
          String.join("\n\n", system.stream().map(m -> orEmpty(m.getContent())).toList()));
      return;
    }
    ArrayNode blocks = body.putArray("system");
    for (ChatMessage m : system) {
      ObjectNode block =
          blocks.addObject().put("type", "text").put("text", orEmpty(m.getContent()));
      if (m.getCacheControl() != null) {
        block.set("cache_control", cacheControl(m.getCacheControl()));
      }
    }
  }

  /**
   * {@code message} with {@code m}'s cache breakpoint on its last content block (text content
   * becoming one text block), as Anthropic's prompt caching takes it.
   */
  private static ObjectNode cached(ObjectNode message, ChatMessage m) {
    if (m.getCacheControl() == null) {
      return message;
    }
    JsonNode content = message.path("content");
    ArrayNode blocks;
    if (content.isArray()) {
      blocks = (ArrayNode) content;
    } else {
      blocks = Json.MAPPER.createArrayNode();
      blocks.addObject().put("type", "text").put("text", content.asText(""));
      message.set("content", blocks);
    }
    ((ObjectNode) blocks.get(blocks.size() - 1))
        .set("cache_control", cacheControl(m.getCacheControl()));
    return message;
  }

  /** Anthropic's {@code cache_control}: ephemeral, with a {@code ttl} of 1h when asked. */
  private static ObjectNode cacheControl(String ttl) {
    ObjectNode control = Json.MAPPER.createObjectNode().put("type", "ephemeral");
    return "1h".equals(ttl) ? control.put("ttl", "1h") : control;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
