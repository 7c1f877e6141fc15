package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** OpenAI Chat Completions: cached tokens inside prompt tokens, reasoning inside completion. */
final class OpenAiFormat implements WireFormat {

  @Override
  public boolean authenticated(RoutingContext ctx) {
    return ctx.request().getHeader("Authorization") != null;
  }

  /** What OpenAI's reasoning models (the o-series) refuse, as the real API does. */
  private static final List<String> REASONING_REFUSES =
      List.of(
          "max_tokens",
          "temperature",
          "top_p",
          "presence_penalty",
          "frequency_penalty",
          "logprobs",
          "top_logprobs");

  @Override
  public MockCall parse(String provider, RoutingContext ctx, JsonObject body) {
    checkParameters(body);
    JsonArray messages = body.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' is required");
    }
    List<String> texts = new ArrayList<>();
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      String text = m.getValue("content") == null ? "" : m.getValue("content").toString();
      texts.add(text);
      if ("user".equals(m.getString("role"))) {
        lastUser = text;
      }
    }
    Integer max = body.getInteger("max_completion_tokens", body.getInteger("max_tokens"));
    Object choice = body.getValue("tool_choice");
    String forced =
        choice instanceof JsonObject named
            ? named.getJsonObject("function", new JsonObject()).getString("name")
            : null;
    return new MockCall(
        provider,
        body.getString("model", ""),
        texts,
        lastUser,
        max,
        forced,
        body.getInteger("n", 1),
        false,
        null);
  }

  /** Refuses parameters the way OpenAI does for the model asked for. */
  private static void checkParameters(JsonObject body) {
    boolean reasoning = body.getString("model", "").matches("o\\d.*");
    if (reasoning) {
      for (String param : REASONING_REFUSES) {
        if (body.containsKey(param)) {
          throw new IllegalArgumentException(
              "Unsupported parameter: '"
                  + param
                  + "' is not supported with this model."
                  + ("max_tokens".equals(param) ? " Use 'max_completion_tokens' instead." : ""));
        }
      }
    } else if (body.containsKey("reasoning_effort")) {
      throw new IllegalArgumentException(
          "Unrecognized request argument supplied: reasoning_effort");
    }
  }

  @Override
  public JsonObject success(String id, MockCall call, MockUsage usage, Instant now) {
    JsonObject message = new JsonObject().put("role", "assistant");
    if (call.forcedTool() == null) {
      message.put("content", usage.answer());
    } else {
      // A forced tool is called, the answer its arguments (a JSON string, as OpenAI sends them).
      message
          .put("content", null)
          .put(
              "tool_calls",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("id", "call_mock")
                          .put("type", "function")
                          .put(
                              "function",
                              new JsonObject()
                                  .put("name", call.forcedTool())
                                  .put(
                                      "arguments",
                                      new JsonObject().put("answer", usage.answer()).encode()))));
    }
    String finish =
        usage.truncated() ? "length" : call.forcedTool() != null ? "tool_calls" : "stop";
    JsonArray choices = new JsonArray();
    for (int index = 0; index < call.n(); index++) {
      choices.add(
          new JsonObject()
              .put("index", index)
              .put("message", message)
              .put("logprobs", null)
              .put("finish_reason", finish));
    }
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", now.getEpochSecond())
        .put("model", call.model())
        .put("system_fingerprint", "fp_tollgate_mock")
        .put("choices", choices)
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.promptTokens() + usage.outputTokens())
                .put(
                    "prompt_tokens_details",
                    new JsonObject().put("cached_tokens", usage.cachedTokens()))
                .put(
                    "completion_tokens_details",
                    new JsonObject().put("reasoning_tokens", usage.reasoningTokens())));
  }

  /**
   * Cached tokens are part of {@code prompt_tokens}, reasoning part of {@code completion_tokens}.
   */
  @Override
  public BilledTokens billed(JsonObject success) {
    JsonObject usage = success.getJsonObject("usage");
    long prompt = usage.getLong("prompt_tokens");
    long cached = usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens");
    return new BilledTokens(
        prompt - cached,
        cached,
        0,
        0,
        usage.getLong("completion_tokens"),
        usage.getJsonObject("completion_tokens_details").getLong("reasoning_tokens"));
  }

  @Override
  public JsonObject error(int status, String type, String message) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", null)
                .put("code", type));
  }
}
