package dev.tollgate.platform.requests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.ToolCall;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What must hold between tools, the tool choice, the conversation's tool calls and results, and a
 * structured response format, checked before any provider is called (on HTTP and on the Kafka path
 * alike): each tool a function with a name and an object schema, a named tool choice one of the
 * tools, each tool result answering a call made earlier in the conversation, a {@code json_schema}
 * response format with a name and a schema.
 */
final class ToolRules {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenAI's rule for function names. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private static final Set<String> CHOICES = Set.of("none", "auto", "required");
  private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");

  private ToolRules() {}

  static void check(List<ChatMessage> messages, GenerationParams params)
      throws RequestValidator.Invalid {
    Set<String> names = tools(params.getToolsJson());
    toolChoice(params.getToolChoiceJson(), names, params.getToolsJson() != null);
    if (params.getParallelToolCalls() != null && params.getToolsJson() == null) {
      throw new RequestValidator.Invalid(
          "'parallel_tool_calls' is only allowed when tools are given.", "parallel_tool_calls");
    }
    toolResults(messages);
    responseFormat(params.getResponseFormatJson());
  }

  private static Set<String> tools(String json) throws RequestValidator.Invalid {
    Set<String> names = new HashSet<>();
    if (json == null) {
      return names;
    }
    JsonNode tools = read(json, "tools");
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!"function".equals(tool.path("type").asText())) {
        throw new RequestValidator.Invalid(at + ".type must be 'function'.", at + ".type");
      }
      String name = tool.path("function").path("name").asText("");
      if (!NAME.matcher(name).matches()) {
        throw new RequestValidator.Invalid(
            at + ".function.name must be 1 to 64 letters, digits, '_' or '-'.",
            at + ".function.name");
      }
      if (!names.add(name)) {
        throw new RequestValidator.Invalid(
            "Two tools are named '" + name + "'.", at + ".function.name");
      }
      JsonNode schema = tool.path("function").path("parameters");
      if (!schema.isMissingNode()
          && !(schema.isObject() && "object".equals(schema.path("type").asText("object")))) {
        throw new RequestValidator.Invalid(
            at + ".function.parameters must be a JSON Schema of type 'object'.",
            at + ".function.parameters");
      }
    }
    return names;
  }

  private static void toolChoice(String json, Set<String> names, boolean hasTools)
      throws RequestValidator.Invalid {
    if (json == null) {
      return;
    }
    JsonNode choice = read(json, "tool_choice");
    if (choice.isTextual()) {
      if (!CHOICES.contains(choice.asText())) {
        throw new RequestValidator.Invalid(
            "'tool_choice' must be one of " + CHOICES + " or a named function.", "tool_choice");
      }
      if ("required".equals(choice.asText()) && !hasTools) {
        throw new RequestValidator.Invalid(
            "'tool_choice' is 'required' but no tools are given.", "tool_choice");
      }
      return;
    }
    String name = choice.path("function").path("name").asText("");
    if (!names.contains(name)) {
      throw new RequestValidator.Invalid(
          "'tool_choice' names the function '" + name + "', which is not among the tools.",
          "tool_choice");
    }
  }

  private static void toolResults(List<ChatMessage> messages) throws RequestValidator.Invalid {
    Set<String> called = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      for (ToolCall call : m.getToolCalls()) {
        called.add(call.getId());
      }
      if ("tool".equals(m.getRole()) && !called.contains(m.getToolCallId())) {
        throw new RequestValidator.Invalid(
            "messages["
                + i
                + "].tool_call_id '"
                + m.getToolCallId()
                + "' answers no tool call made earlier in the conversation.",
            "messages[" + i + "].tool_call_id");
      }
    }
  }

  private static void responseFormat(String json) throws RequestValidator.Invalid {
    if (json == null) {
      return;
    }
    JsonNode format = read(json, "response_format");
    String type = format.path("type").asText("");
    if (!FORMATS.contains(type)) {
      throw new RequestValidator.Invalid(
          "'response_format.type' must be one of " + FORMATS + ".", "response_format.type");
    }
    if ("json_schema".equals(type)) {
      JsonNode spec = format.path("json_schema");
      if (!NAME.matcher(spec.path("name").asText("")).matches()) {
        throw new RequestValidator.Invalid(
            "'response_format.json_schema.name' must be 1 to 64 letters, digits, '_' or '-'.",
            "response_format.json_schema.name");
      }
      if (!spec.path("schema").isObject()) {
        throw new RequestValidator.Invalid(
            "'response_format.json_schema.schema' must be a JSON Schema object.",
            "response_format.json_schema.schema");
      }
    }
  }

  /** Already checked to parse and to be the right shape by the validator. */
  private static JsonNode read(String json, String param) throws RequestValidator.Invalid {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RequestValidator.Invalid("'" + param + "' is not valid JSON.", param);
    }
  }
}
