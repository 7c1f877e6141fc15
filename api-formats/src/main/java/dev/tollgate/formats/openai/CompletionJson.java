package dev.tollgate.formats.openai;

import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A reply in OpenAI's chat completion shape. Usage goes back in OpenAI's own semantics: prompt
 * tokens include cached and cache-write tokens, completion tokens include reasoning tokens.
 */
public final class CompletionJson {

  private CompletionJson() {}

  public static JsonObject completion(LlmReply reply) {
    Completion c = reply.getCompletion();
    JsonArray choices = new JsonArray();
    for (Choice choice : c.getChoices()) {
      choices.add(
          new JsonObject()
              .put("index", choice.getIndex())
              .put("message", message(choice.getMessage()))
              .put("logprobs", null)
              .put(
                  "finish_reason",
                  choice.getFinishReason() == null ? "stop" : choice.getFinishReason()));
    }
    return new JsonObject()
        .put("id", reply.getRequestId())
        .put("object", "chat.completion")
        .put("created", c.getCreated())
        .put("model", c.getModel())
        .put("choices", choices)
        .put("usage", usage(reply.getUsage()))
        .put("system_fingerprint", c.getSystemFingerprint());
  }

  public static OpenAiError error(ReplyError e) {
    return new OpenAiError(
        e.getHttpStatus(), e.getType(), e.getCode(), e.getMessage(), e.getParam());
  }

  private static JsonObject message(ChatMessage m) {
    JsonObject json = new JsonObject().put("role", m.getRole()).put("content", m.getContent());
    if (!m.getToolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (ToolCall t : m.getToolCalls()) {
        calls.add(
            new JsonObject()
                .put("id", t.getId())
                .put("type", t.getType())
                .put(
                    "function",
                    new JsonObject()
                        .put("name", t.getFunctionName())
                        .put("arguments", t.getArguments())));
      }
      json.put("tool_calls", calls);
    }
    return json;
  }

  private static JsonObject usage(TokenUsage u) {
    long prompt =
        u.getInputTokens()
            + u.getCachedInputTokens()
            + u.getCacheWriteTokens()
            + u.getCacheWrite1hTokens();
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", u.getOutputTokens())
        .put("total_tokens", prompt + u.getOutputTokens())
        .put(
            "prompt_tokens_details",
            new JsonObject().put("cached_tokens", u.getCachedInputTokens()))
        .put(
            "completion_tokens_details",
            new JsonObject().put("reasoning_tokens", u.getReasoningTokens()));
  }
}
