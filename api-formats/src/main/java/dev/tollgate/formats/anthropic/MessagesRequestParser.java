package dev.tollgate.formats.anthropic;

import static dev.tollgate.formats.BodyFields.bool;
import static dev.tollgate.formats.BodyFields.decimal;
import static dev.tollgate.formats.BodyFields.integer;
import static dev.tollgate.formats.BodyFields.optionalText;
import static dev.tollgate.formats.BodyFields.requiredText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Anthropic Messages API request ({@code POST /v1/messages}) into the contract, which is
 * OpenAI-shaped: {@code system} becomes a system message, content blocks become parts, tool calls
 * and tool results, {@code tools} and {@code tool_choice} their OpenAI equivalents, {@code
 * metadata.user_id} the user. Any deployment of the model then serves it, and the reply goes back
 * in Anthropic's shape ({@link MessageJson}). A field Tollgate does not act on yet is refused by
 * name; one Anthropic does not define is refused as Anthropic refuses it.
 */
public final class MessagesRequestParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "messages",
          "system",
          "max_tokens",
          "metadata",
          "stop_sequences",
          "temperature",
          "top_p",
          "tools",
          "tool_choice",
          "stream");

  /** Anthropic's fields Tollgate knows and does not serve yet. */
  private static final Set<String> NOT_YET =
      Set.of(
          "top_k",
          "thinking",
          "service_tier",
          "container",
          "mcp_servers",
          "context_management",
          "inference_geo");

  private final MessageBlocks blocks;

  /**
   * @param maxInlineBytes the most bytes one block's inline content (an image, a PDF) may decode to
   */
  public MessagesRequestParser(long maxInlineBytes) {
    this.blocks = new MessageBlocks(maxInlineBytes);
  }

  /** A Messages request; {@code max_tokens} is required, as Anthropic requires it. */
  public ParsedRequest parse(String body) throws InvalidRequest {
    JsonNode root = read(body);
    if (root.path("stream").asBoolean(false)) {
      throw InvalidRequest.of("Streaming is not supported yet; send \"stream\": false.", "stream");
    }
    if (integer(root, "max_tokens", 1, "max_tokens") == null) {
      throw InvalidRequest.of("max_tokens: Field required", "max_tokens");
    }
    return chat(root);
  }

  /**
   * A token-counting request ({@code /v1/messages/count_tokens}): the same fields less the output
   * ones, {@code max_tokens} not required.
   */
  public ParsedRequest parseCount(String body) throws InvalidRequest {
    JsonNode root = read(body);
    for (String field : List.of("max_tokens", "stop_sequences", "temperature", "top_p", "stream")) {
      if (root.has(field)) {
        throw InvalidRequest.of(field + ": Extra inputs are not permitted", field);
      }
    }
    return chat(root);
  }

  private static JsonNode read(String body) throws InvalidRequest {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw InvalidRequest.of(
          "The request body is not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw InvalidRequest.of("The request body must be a JSON object.", null);
    }
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      JsonNode value = root.get(field);
      boolean disabledThinking =
          "thinking".equals(field) && "disabled".equals(value.path("type").asText());
      if (FIELDS.contains(field) || value.isNull() || disabledThinking) {
        continue;
      }
      throw NOT_YET.contains(field)
          ? InvalidRequest.of("'" + field + "' is not supported by Tollgate yet.", field)
          : InvalidRequest.of(field + ": Extra inputs are not permitted", field);
    }
    return root;
  }

  private ParsedRequest chat(JsonNode root) throws InvalidRequest {
    String model = requiredText(root, "model", "model");
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw InvalidRequest.of("messages: at least one message is required", "messages");
    }
    List<ChatMessage> parsed = new ArrayList<>();
    ChatMessage system = blocks.system(root.path("system"));
    if (system != null) {
      parsed.add(system);
    }
    for (int i = 0; i < messages.size(); i++) {
      parsed.addAll(blocks.message(messages.get(i), "messages." + i));
    }
    Map<String, String> metadata = new HashMap<>();
    String user = null;
    JsonNode meta = root.path("metadata");
    if (!meta.isMissingNode() && !meta.isNull()) {
      for (var names = meta.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        if (!"user_id".equals(field)) {
          throw InvalidRequest.of(
              "metadata." + field + ": Extra inputs are not permitted", "metadata." + field);
        }
      }
      user = optionalText(meta, "user_id", "metadata.user_id");
    }
    return new ParsedRequest(model, parsed, params(root), user, metadata).checked();
  }

  private static GenerationParams params(JsonNode root) throws InvalidRequest {
    JsonNode choice = root.path("tool_choice");
    Boolean disableParallel =
        choice.isObject()
            ? bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use")
            : null;
    return GenerationParams.newBuilder()
        .setMaxTokens(integer(root, "max_tokens", 1, "max_tokens"))
        .setTemperature(decimal(root, "temperature", 0, 1, "temperature"))
        .setTopP(decimal(root, "top_p", 0, 1, "top_p"))
        .setStop(stopSequences(root.path("stop_sequences")))
        .setToolsJson(tools(root.path("tools")))
        .setToolChoiceJson(toolChoice(choice))
        .setParallelToolCalls(Boolean.TRUE.equals(disableParallel) ? Boolean.FALSE : null)
        .build();
  }

  private static List<String> stopSequences(JsonNode stop) throws InvalidRequest {
    List<String> result = new ArrayList<>();
    if (stop.isMissingNode() || stop.isNull()) {
      return result;
    }
    if (!stop.isArray()) {
      throw InvalidRequest.of("stop_sequences: Input should be a valid list", "stop_sequences");
    }
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw InvalidRequest.of("stop_sequences: Input should be a valid string", "stop_sequences");
      }
      result.add(s.asText());
    }
    return result;
  }

  /** Anthropic's client tools as OpenAI function tools; server tools are refused by name. */
  private static String tools(JsonNode tools) throws InvalidRequest {
    if (tools.isMissingNode() || tools.isNull()) {
      return null;
    }
    if (!tools.isArray()) {
      throw InvalidRequest.of("tools: Input should be a valid list", "tools");
    }
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String at = "tools." + i;
      String type = tool.path("type").asText("custom");
      if (!"custom".equals(type)) {
        throw InvalidRequest.of(
            at + ".type: the server tool '" + type + "' is not supported by Tollgate.",
            at + ".type");
      }
      if (tool.has("cache_control")) {
        throw InvalidRequest.of(
            at + ".cache_control: a cache breakpoint on tools is not supported by Tollgate yet.",
            at + ".cache_control");
      }
      JsonNode schema = tool.path("input_schema");
      if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
        throw InvalidRequest.of(
            at + ".input_schema: a JSON Schema of type 'object' is required.",
            at + ".input_schema");
      }
      ObjectNode function =
          NODES.objectNode().put("name", requiredText(tool, "name", at + ".name"));
      String description = optionalText(tool, "description", at + ".description");
      if (description != null) {
        function.put("description", description);
      }
      function.set("parameters", schema);
      out.add(NODES.objectNode().put("type", "function").set("function", function));
    }
    return out.toString();
  }

  /** Anthropic's tool choice as OpenAI's: auto, any (required), a named tool, none. */
  private static String toolChoice(JsonNode choice) throws InvalidRequest {
    if (choice.isMissingNode() || choice.isNull()) {
      return null;
    }
    String type = choice.path("type").asText("");
    return switch (type) {
      case "auto" -> "\"auto\"";
      case "any" -> "\"required\"";
      case "none" -> "\"none\"";
      case "tool" ->
          NODES
              .objectNode()
              .put("type", "function")
              .set(
                  "function",
                  NODES.objectNode().put("name", requiredText(choice, "name", "tool_choice.name")))
              .toString();
      default ->
          throw InvalidRequest.of(
              "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'",
              "tool_choice.type");
    };
  }
}
