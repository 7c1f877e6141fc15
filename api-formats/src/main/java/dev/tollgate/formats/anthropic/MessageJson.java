package dev.tollgate.formats.anthropic;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A reply in Anthropic's message shape, whichever provider served it: the text as a {@code text}
 * block, each tool call as a {@code tool_use} block (its id kept), the finish reason as a stop
 * reason, usage in Anthropic's own semantics (input tokens exclude cache reads and writes, which
 * have their own fields; output tokens include any reasoning).
 */
public final class MessageJson {

  /** OpenAI finish reasons, as the contract carries them, to Anthropic stop reasons. */
  private static final Map<String, String> STOP_REASONS =
      Map.of(
          "stop", "end_turn",
          "length", "max_tokens",
          "tool_calls", "tool_use",
          "content_filter", "refusal");

  private MessageJson() {}

  /** A tool call whose arguments are not a JSON object, which Anthropic's shape cannot carry. */
  public static final class NotAnObject extends Exception {
    NotAnObject(String tool) {
      super(
          "The model called '"
              + tool
              + "' with arguments that are not a JSON object; Anthropic's tool_use input must be"
              + " one.",
          null,
          false,
          false);
    }
  }

  public static JsonObject message(LlmReply reply) throws NotAnObject {
    Completion c = reply.getCompletion();
    ChatMessage m = c.getChoices().get(0).getMessage();
    JsonArray content = new JsonArray();
    if (m.getContent() != null && !m.getContent().isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", m.getContent()));
    }
    for (ToolCall call : m.getToolCalls()) {
      content.add(
          new JsonObject()
              .put("type", "tool_use")
              .put("id", call.getId())
              .put("name", call.getFunctionName())
              .put("input", input(call)));
    }
    String finish = c.getChoices().get(0).getFinishReason();
    return new JsonObject()
        .put("id", reply.getRequestId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", c.getModel())
        .put("content", content)
        .put("stop_reason", STOP_REASONS.getOrDefault(finish == null ? "stop" : finish, "end_turn"))
        .put("stop_sequence", null)
        .put("usage", usage(reply.getUsage()));
  }

  private static JsonObject input(ToolCall call) throws NotAnObject {
    String arguments = call.getArguments();
    if (arguments == null || arguments.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(arguments);
    } catch (DecodeException | ClassCastException e) {
      throw new NotAnObject(call.getFunctionName());
    }
  }

  private static JsonObject usage(TokenUsage u) {
    return new JsonObject()
        .put("input_tokens", u.getInputTokens())
        .put("cache_creation_input_tokens", u.getCacheWriteTokens() + u.getCacheWrite1hTokens())
        .put(
            "cache_creation",
            new JsonObject()
                .put("ephemeral_5m_input_tokens", u.getCacheWriteTokens())
                .put("ephemeral_1h_input_tokens", u.getCacheWrite1hTokens()))
        .put("cache_read_input_tokens", u.getCachedInputTokens())
        .put("output_tokens", u.getOutputTokens());
  }
}
