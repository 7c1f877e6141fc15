package dev.tollgate.platform.requests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.EmbeddingInput;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ToolCall;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks a chat request field by field, as the HTTP API checks a body: ids, model, messages and
 * roles, sampling ranges (no NaN, no infinities), the output cap, the JSON-text fields (they must
 * parse, as the shape the provider expects), and the sizes of metadata and user. ingest-api runs it
 * on every request it builds; the router runs it on every record on {@code llm-requests}, so a
 * backend job's record gets exactly the checks an HTTP body gets. Times (the deadline) are the
 * router's to judge, with its clock.
 */
public final class RequestValidator {

  /** Ids: 1-128 characters, letters, digits and {@code . _ : / -}. */
  public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  public static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");
  static final int MAX_MODEL_LENGTH = 256;
  static final int MAX_MESSAGES = 4_096;

  /** OpenAI's bound on one embeddings request's inputs. */
  static final int MAX_EMBEDDING_INPUTS = 2_048;

  static final Set<String> ENCODING_FORMATS = Set.of("float", "base64");

  /** How long a prompt-cache breakpoint keeps its prefix (Anthropic's two). */
  static final Set<String> CACHE_TTLS = Set.of("5m", "1h");

  static final int MAX_OUTPUT_TOKENS = 1_000_000;
  static final int MAX_METADATA_ENTRIES = 32;
  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 1_024;
  static final int MAX_USER_LENGTH = 256;
  static final int MAX_STOP = 4;

  /** OpenAI's bound on {@code n}. */
  static final int MAX_CHOICES = 128;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What is wrong, and the parameter it is wrong in (OpenAI's {@code param}). */
  public record Problem(String message, String param) {}

  private static final Set<String> REASONING_EFFORTS =
      new LinkedHashSet<>(List.of("minimal", "low", "medium", "high"));
  private static final Set<String> SERVICE_TIERS =
      new LinkedHashSet<>(List.of("auto", "default", "flex", "priority"));

  private RequestValidator() {}

  /** The first problem with {@code request}, or empty if it is a valid request. */
  public static Optional<Problem> check(LlmRequest request) {
    if (request.getRequestId() == null || !REQUEST_ID.matcher(request.getRequestId()).matches()) {
      return Optional.of(
          new Problem(
              "request_id must be 1-128 characters of letters, digits and . _ : / -",
              "request_id"));
    }
    return checkContent(
        request.getModel(),
        request.getMessages(),
        request.getEmbedding(),
        request.getParams(),
        request.getUser(),
        request.getMetadata());
  }

  /** The first problem with what a client asked for (no ids or times yet), or empty. */
  public static Optional<Problem> checkContent(
      String model,
      List<ChatMessage> messages,
      EmbeddingInput embedding,
      GenerationParams params,
      String user,
      Map<String, String> metadata) {
    try {
      if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
        throw new Invalid(
            "'model' is required and at most " + MAX_MODEL_LENGTH + " characters.", "model");
      }
      if (embedding != null) {
        embedding(embedding, messages);
      } else {
        messages(messages);
      }
      params(params);
      ToolRules.check(messages, params);
      metadata(metadata);
      if (user != null && user.length() > MAX_USER_LENGTH) {
        throw new Invalid("'user' must be at most " + MAX_USER_LENGTH + " characters.", "user");
      }
      return Optional.empty();
    } catch (Invalid e) {
      return Optional.of(e.problem);
    }
  }

  private static void embedding(EmbeddingInput embedding, List<ChatMessage> messages)
      throws Invalid {
    if (messages != null && !messages.isEmpty()) {
      throw new Invalid("An embeddings request has no messages.", "messages");
    }
    List<String> inputs = embedding.getInputs();
    if (inputs.isEmpty() || inputs.size() > MAX_EMBEDDING_INPUTS) {
      throw new Invalid("'input' must hold 1 to " + MAX_EMBEDDING_INPUTS + " texts.", "input");
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null || inputs.get(i).isEmpty()) {
        throw new Invalid("'input[" + i + "]' must be a non-empty string.", "input");
      }
    }
    if (embedding.getDimensions() != null && embedding.getDimensions() < 1) {
      throw new Invalid("'dimensions' must be at least 1.", "dimensions");
    }
    if (!ENCODING_FORMATS.contains(embedding.getEncodingFormat())) {
      throw new Invalid(
          "'encoding_format' must be one of " + ENCODING_FORMATS + ".", "encoding_format");
    }
  }

  private static void messages(List<ChatMessage> messages) throws Invalid {
    if (messages == null || messages.isEmpty()) {
      throw new Invalid("'messages' must be a non-empty array.", "messages");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw new Invalid("'messages' may hold at most " + MAX_MESSAGES + " messages.", "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      String at = "messages[" + i + "]";
      if (m.getRole() == null || !ROLES.contains(m.getRole())) {
        throw new Invalid(at + ".role must be one of " + ROLES + ".", at + ".role");
      }
      if (!m.getParts().isEmpty() && !"user".equals(m.getRole())) {
        throw new Invalid(
            at + ": only user messages may carry images, audio or files.", at + ".content");
      }
      if (m.getCacheControl() != null && !CACHE_TTLS.contains(m.getCacheControl())) {
        throw new Invalid(at + ": a cache breakpoint's ttl is 5m or 1h.", at + ".cache_control");
      }
      if ("tool".equals(m.getRole())
          && (m.getToolCallId() == null || m.getToolCallId().isBlank())) {
        throw new Invalid(at + ": a tool message needs tool_call_id.", at + ".tool_call_id");
      }
      List<ToolCall> calls = m.getToolCalls();
      for (int c = 0; c < calls.size(); c++) {
        ToolCall call = calls.get(c);
        String where = at + ".tool_calls[" + c + "]";
        if (call.getId() == null || call.getId().isBlank()) {
          throw new Invalid(where + ".id is required.", where + ".id");
        }
        if (call.getFunctionName() == null || call.getFunctionName().isBlank()) {
          throw new Invalid(where + ".function.name is required.", where + ".function.name");
        }
      }
    }
  }

  private static void params(GenerationParams p) throws Invalid {
    if (p == null) {
      throw new Invalid("generation parameters are missing.", null);
    }
    range(p.getTemperature(), 0, 2, "temperature");
    range(p.getTopP(), 0, 1, "top_p");
    range(p.getPresencePenalty(), -2, 2, "presence_penalty");
    range(p.getFrequencyPenalty(), -2, 2, "frequency_penalty");
    Integer max = p.getMaxTokens();
    if (max != null && (max < 1 || max > MAX_OUTPUT_TOKENS)) {
      throw new Invalid(
          "'max_tokens' must be an integer between 1 and " + MAX_OUTPUT_TOKENS + ".", "max_tokens");
    }
    if (p.getN() != null && (p.getN() < 1 || p.getN() > MAX_CHOICES)) {
      throw new Invalid("'n' must be an integer between 1 and " + MAX_CHOICES + ".", "n");
    }
    if (p.getStop().size() > MAX_STOP) {
      throw new Invalid("'stop' must be a string or an array of up to 4 strings.", "stop");
    }
    json(p.getResponseFormatJson(), "response_format", JsonNode::isObject, "an object");
    json(p.getToolsJson(), "tools", JsonNode::isArray, "an array");
    json(
        p.getToolChoiceJson(),
        "tool_choice",
        n -> n.isObject() || n.isTextual(),
        "a string or an object");
    oneOf(p.getReasoningEffort(), REASONING_EFFORTS, "reasoning_effort");
    oneOf(p.getServiceTier(), SERVICE_TIERS, "service_tier");
    Integer top = p.getTopLogprobs();
    if (top != null && (top < 0 || top > 20)) {
      throw new Invalid("'top_logprobs' must be an integer between 0 and 20.", "top_logprobs");
    }
    if (top != null && !Boolean.TRUE.equals(p.getLogprobs())) {
      throw new Invalid("'top_logprobs' needs 'logprobs' set to true.", "top_logprobs");
    }
  }

  private static void oneOf(String value, Set<String> allowed, String param) throws Invalid {
    if (value != null && !allowed.contains(value)) {
      throw new Invalid(
          "'" + param + "' must be one of " + String.join(", ", allowed) + ".", param);
    }
  }

  private static void range(Double value, double min, double max, String param) throws Invalid {
    if (value != null && !(value >= min && value <= max)) {
      // !(>= && <=) is also true for NaN.
      throw new Invalid(
          "'" + param + "' must be a number between " + min + " and " + max + ".", param);
    }
  }

  private static void json(String text, String param, Predicate<JsonNode> shape, String expected)
      throws Invalid {
    if (text == null) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Invalid("'" + param + "' is not valid JSON: " + e.getOriginalMessage(), param);
    }
    if (node == null || !shape.test(node)) {
      throw new Invalid("'" + param + "' must be " + expected + ".", param);
    }
  }

  private static void metadata(Map<String, String> metadata) throws Invalid {
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      throw new Invalid(
          "'metadata' may hold at most " + MAX_METADATA_ENTRIES + " entries.", "metadata");
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().length() > MAX_METADATA_KEY || e.getValue().length() > MAX_METADATA_VALUE) {
        throw new Invalid(
            "'metadata' keys may be at most "
                + MAX_METADATA_KEY
                + " characters and values at most "
                + MAX_METADATA_VALUE
                + ".",
            "metadata");
      }
    }
  }

  /** A problem found, thrown to end the checks at once. */
  static final class Invalid extends Exception {
    private final Problem problem;

    Invalid(String message, String param) {
      super(message, null, false, false);
      this.problem = new Problem(message, param);
    }
  }
}
