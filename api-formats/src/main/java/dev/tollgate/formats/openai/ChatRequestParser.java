package dev.tollgate.formats.openai;

import static dev.tollgate.formats.BodyFields.bool;
import static dev.tollgate.formats.BodyFields.decimal;
import static dev.tollgate.formats.BodyFields.integer;
import static dev.tollgate.formats.BodyFields.number;
import static dev.tollgate.formats.BodyFields.optionalText;
import static dev.tollgate.formats.BodyFields.requiredText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.formats.InlineData;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.platform.catalog.ApiParameters;
import dev.tollgate.platform.requests.RequestValidator;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads an OpenAI chat completion request body into Tollgate's types, refusing what is malformed
 * with an error that names the parameter. Nothing is dropped silently: a parameter Tollgate does
 * not act on yet is refused by name, and one it does not know is refused as OpenAI refuses it.
 */
public final class ChatRequestParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ContentParts parts;

  public ChatRequestParser() {
    this(InlineData.DEFAULT_MAX_BYTES);
  }

  /**
   * @param maxInlineBytes the most bytes one part's inline content (an image, audio, a file) may
   *     decode to
   */
  public ChatRequestParser(long maxInlineBytes) {
    this.parts = new ContentParts(maxInlineBytes);
  }

  /**
   * The body's fields Tollgate acts on (or checks, as {@code stream} and {@code n}): the generation
   * parameters the router checks per deployment, and the rest of the request.
   */
  private static final Set<String> FIELDS =
      Stream.concat(
              ApiParameters.NAMES.stream(),
              Stream.of(
                  "model",
                  "messages",
                  "max_tokens",
                  "max_completion_tokens",
                  "user",
                  "metadata",
                  "n",
                  "stream"))
          .collect(Collectors.toUnmodifiableSet());

  /** OpenAI's fields Tollgate knows and does not serve yet. */
  private static final Set<String> NOT_YET =
      Set.of(
          "logit_bias",
          "audio",
          "modalities",
          "prediction",
          "web_search_options",
          "functions",
          "function_call",
          "stream_options",
          "store",
          "verbosity",
          "prompt_cache_key",
          "safety_identifier");

  public ParsedRequest parse(String body) throws InvalidRequest {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw InvalidRequest.of(
          "We could not parse the JSON body of your request: " + e.getOriginalMessage(), null);
    }
    return parse(root);
  }

  /** Parses a body already read as JSON (a batch line's {@code body}). */
  public ParsedRequest parse(JsonNode root) throws InvalidRequest {
    if (root == null || !root.isObject()) {
      throw InvalidRequest.of("The request body must be a JSON object.", null);
    }
    checkFields(root);
    if (root.path("stream").asBoolean(false)) {
      throw InvalidRequest.of("Streaming is not supported yet; send \"stream\": false.", "stream");
    }
    String model = requiredText(root, "model", "model");
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw InvalidRequest.of("'messages' must be a non-empty array.", "messages");
    }
    List<ChatMessage> parsed = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      parsed.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return new ParsedRequest(
            model, parsed, params(root), optionalText(root, "user", "user"), metadata(root))
        .checked();
  }

  private static void checkFields(JsonNode root) throws InvalidRequest {
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      JsonNode value = root.get(field);
      // Null, or false (store, logprobs' kin), asks for nothing: the provider's default.
      if (FIELDS.contains(field) || value.isNull() || (value.isBoolean() && !value.asBoolean())) {
        continue;
      }
      throw NOT_YET.contains(field)
          ? InvalidRequest.of("'" + field + "' is not supported by Tollgate yet.", field)
          : InvalidRequest.of("Unrecognized request argument supplied: " + field, field);
    }
  }

  private ChatMessage message(JsonNode m, String where) throws InvalidRequest {
    if (!m.isObject()) {
      throw InvalidRequest.of(where + " must be an object.", where);
    }
    String role = requiredText(m, "role", where + ".role");
    if (!RequestValidator.ROLES.contains(role)) {
      throw InvalidRequest.of(
          where + ".role must be one of " + RequestValidator.ROLES + ".", where + ".role");
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    JsonNode calls = m.path("tool_calls");
    if (!calls.isMissingNode() && !calls.isNull()) {
      if (!calls.isArray()) {
        throw InvalidRequest.of(where + ".tool_calls must be an array.", where + ".tool_calls");
      }
      for (int i = 0; i < calls.size(); i++) {
        JsonNode c = calls.get(i);
        String at = where + ".tool_calls[" + i + "]";
        toolCalls.add(
            ToolCall.newBuilder()
                .setId(requiredText(c, "id", at + ".id"))
                .setType(c.path("type").asText("function"))
                .setFunctionName(requiredText(c.path("function"), "name", at + ".function.name"))
                .setArguments(c.path("function").path("arguments").asText(""))
                .build());
      }
    }
    JsonNode content = m.path("content");
    List<ContentPart> contentParts =
        content.isArray() && hasNonText(content)
            ? parts.parse(content, where + ".content")
            : List.of();
    return ChatMessage.newBuilder()
        .setRole(role)
        .setContent(contentParts.isEmpty() ? content(content, where + ".content") : null)
        .setParts(contentParts)
        .setName(optionalText(m, "name", "name"))
        .setToolCallId(optionalText(m, "tool_call_id", "tool_call_id"))
        .setToolCalls(toolCalls)
        .setCacheControl(cacheControl(content, where + ".content"))
        .build();
  }

  /**
   * A cache breakpoint on the content's last part ({@code cache_control}, as Anthropic's and
   * LiteLLM's clients send it in OpenAI's shape): its time to live, or null. One on another part is
   * refused: Tollgate carries one breakpoint per message, at its end.
   */
  private static String cacheControl(JsonNode content, String where) throws InvalidRequest {
    if (!content.isArray()) {
      return null;
    }
    String ttl = null;
    for (int i = 0; i < content.size(); i++) {
      JsonNode control = content.get(i).path("cache_control");
      if (control.isMissingNode() || control.isNull()) {
        continue;
      }
      String param = where + "[" + i + "].cache_control";
      if (i != content.size() - 1 || !"ephemeral".equals(control.path("type").asText())) {
        throw InvalidRequest.of(
            param + " must be {\"type\": \"ephemeral\"} on the content's last part.", param);
      }
      ttl = control.path("ttl").asText("5m");
    }
    return ttl;
  }

  private static boolean hasNonText(JsonNode content) {
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  /** A string, or an array of text parts joined (a message with other parts has parts). */
  private static String content(JsonNode content, String where) throws InvalidRequest {
    if (content.isMissingNode() || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw InvalidRequest.of(where + " must be a string or an array of content parts.", where);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText());
    }
    return text.toString();
  }

  private static GenerationParams params(JsonNode root) throws InvalidRequest {
    Integer maxTokens = integer(root, "max_completion_tokens", 1, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = integer(root, "max_tokens", 1, "max_tokens");
    }
    Long seed =
        root.hasNonNull("seed")
            ? number(root, "seed", Long.MIN_VALUE, Long.MAX_VALUE, "seed").longValue()
            : null;
    return GenerationParams.newBuilder()
        .setTemperature(decimal(root, "temperature", 0, 2, "temperature"))
        .setTopP(decimal(root, "top_p", 0, 1, "top_p"))
        .setMaxTokens(maxTokens)
        .setStop(stop(root.path("stop")))
        .setSeed(seed)
        .setPresencePenalty(decimal(root, "presence_penalty", -2, 2, "presence_penalty"))
        .setFrequencyPenalty(decimal(root, "frequency_penalty", -2, 2, "frequency_penalty"))
        .setResponseFormatJson(jsonOf(root, "response_format", true))
        .setToolsJson(jsonOf(root, "tools", false))
        .setToolChoiceJson(
            root.hasNonNull("tool_choice") ? root.get("tool_choice").toString() : null)
        .setParallelToolCalls(bool(root, "parallel_tool_calls", "parallel_tool_calls"))
        .setReasoningEffort(optionalText(root, "reasoning_effort", "reasoning_effort"))
        .setLogprobs(bool(root, "logprobs", "logprobs"))
        .setTopLogprobs(integer(root, "top_logprobs", 0, "top_logprobs"))
        .setServiceTier(optionalText(root, "service_tier", "service_tier"))
        .setN(choices(root))
        .build();
  }

  /** {@code n}, or null for one choice (the default, which every API gives). */
  private static Integer choices(JsonNode root) throws InvalidRequest {
    Integer n = integer(root, "n", 1, "n");
    return n == null || n == 1 ? null : n;
  }

  private static List<String> stop(JsonNode stop) throws InvalidRequest {
    List<String> result = new ArrayList<>();
    if (stop.isMissingNode() || stop.isNull()) {
      return result;
    }
    if (stop.isTextual()) {
      result.add(stop.asText());
      return result;
    }
    if (!stop.isArray() || stop.size() > 4) {
      throw InvalidRequest.of("'stop' must be a string or an array of up to 4 strings.", "stop");
    }
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw InvalidRequest.of("'stop' must contain only strings.", "stop");
      }
      result.add(s.asText());
    }
    return result;
  }

  private static Map<String, String> metadata(JsonNode root) throws InvalidRequest {
    Map<String, String> metadata = new HashMap<>();
    JsonNode node = root.path("metadata");
    if (node.isMissingNode() || node.isNull()) {
      return metadata;
    }
    if (!node.isObject()) {
      throw InvalidRequest.of("'metadata' must be an object of strings.", "metadata");
    }
    var fields = node.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (!field.getValue().isTextual()) {
        throw InvalidRequest.of("'metadata." + field.getKey() + "' must be a string.", "metadata");
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
    return metadata;
  }

  private static String jsonOf(JsonNode root, String field, boolean object) throws InvalidRequest {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (object ? !node.isObject() : !node.isArray()) {
      throw InvalidRequest.of(
          "'" + field + "' must be " + (object ? "an object." : "an array."), field);
    }
    return node.toString();
  }
}
