package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic Messages: {@code max_tokens} required, the system prompt apart, cache reads reported in
 * addition to {@code input_tokens}, thinking billed inside {@code output_tokens}.
 */
final class AnthropicFormat implements WireFormat {

  /** Anthropic's least cacheable prefix (Sonnet's and Haiku's): shorter ones are not cached. */
  private static final long MIN_CACHEABLE = 1024;

  /** The prefixes written to the cache, by model and text (kept for the mock's life). */
  private final Set<String> cachedPrefixes = ConcurrentHashMap.newKeySet();

  @Override
  public boolean authenticated(RoutingContext ctx) {
    return ctx.request().getHeader("x-api-key") != null
        && ctx.request().getHeader("anthropic-version") != null;
  }

  @Override
  public MockCall parse(String provider, RoutingContext ctx, JsonObject body) {
    if (!(body.getValue("max_tokens") instanceof Number)) {
      throw new IllegalArgumentException("max_tokens: Field required");
    }
    JsonArray messages = body.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("messages: Field required");
    }
    List<String> texts = new ArrayList<>();
    if (body.getValue("system") != null) {
      texts.add(body.getValue("system").toString());
    }
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      Object content = m.getValue("content");
      if (content instanceof JsonArray blocks) {
        checkBlocks(blocks, i);
      }
      String text = content instanceof String s ? s : String.valueOf(content);
      texts.add(text);
      if ("user".equals(m.getString("role")) && content instanceof String s) {
        lastUser = s;
      }
    }
    JsonObject choice = body.getJsonObject("tool_choice", new JsonObject());
    return new MockCall(
        provider,
        body.getString("model", ""),
        texts,
        lastUser,
        body.getInteger("max_tokens"),
        "tool".equals(choice.getString("type")) ? choice.getString("name") : null,
        1,
        checkThinking(body),
        cache(body, texts));
  }

  /**
   * What the request's last cache breakpoint reads or writes: the prompt up to and including the
   * block it is on (the system prompt first), counted as {@link MockUsage} counts a prompt; read if
   * that prefix was written before, else written for its ttl. Null without a breakpoint.
   */
  private PromptCache cache(JsonObject body, List<String> texts) {
    int last = -1;
    String ttl = "5m";
    // In the order of texts: the system prompt first when there is one, then each message.
    List<Object> blocks = new ArrayList<>();
    if (body.getValue("system") != null) {
      blocks.add(body.getValue("system"));
    }
    for (Object m : body.getJsonArray("messages")) {
      blocks.add(((JsonObject) m).getValue("content"));
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) instanceof JsonArray content) {
        for (Object block : content) {
          JsonObject control = ((JsonObject) block).getJsonObject("cache_control");
          if (control != null) {
            last = i;
            ttl = control.getString("ttl", "5m");
          }
        }
      }
    }
    if (last < 0) {
      return null;
    }
    long tokens = 3;
    StringBuilder key = new StringBuilder(body.getString("model", ""));
    for (int j = 0; j <= last; j++) {
      tokens += 4 + MockUsage.textTokens(texts.get(j));
      key.append('\u0000').append(texts.get(j));
    }
    if (tokens < MIN_CACHEABLE) {
      return PromptCache.NONE;
    }
    if (!cachedPrefixes.add(key.toString())) {
      return new PromptCache(tokens, 0, 0);
    }
    return "1h".equals(ttl) ? new PromptCache(0, 0, tokens) : new PromptCache(0, tokens, 0);
  }

  /**
   * Whether the request enables extended thinking, refusing what Anthropic refuses with it: a
   * budget under 1,024 or not under max_tokens, a temperature, a forced tool.
   */
  private static boolean checkThinking(JsonObject body) {
    JsonObject thinking = body.getJsonObject("thinking");
    if (thinking == null || !"enabled".equals(thinking.getString("type"))) {
      return false;
    }
    int budget = thinking.getInteger("budget_tokens", 0);
    if (budget < 1024 || budget >= body.getInteger("max_tokens")) {
      throw new IllegalArgumentException(
          "thinking.budget_tokens: must be at least 1024 and less than max_tokens");
    }
    if (body.containsKey("temperature")) {
      throw new IllegalArgumentException(
          "temperature may only be set to 1 when thinking is enabled");
    }
    String choice = body.getJsonObject("tool_choice", new JsonObject()).getString("type", "auto");
    if ("any".equals(choice) || "tool".equals(choice)) {
      throw new IllegalArgumentException(
          "Thinking may not be enabled when tool_choice forces tool use.");
    }
    return true;
  }

  /** Refuses content blocks the Messages API would, by their documented shapes. */
  private static void checkBlocks(JsonArray blocks, int message) {
    for (int b = 0; b < blocks.size(); b++) {
      JsonObject block = blocks.getJsonObject(b);
      String at = "messages." + message + ".content." + b;
      switch (block.getString("type", "")) {
        case "text", "tool_use", "tool_result" -> {}
        case "image", "document" -> {
          JsonObject source = block.getJsonObject("source", new JsonObject());
          String type = source.getString("type", "");
          boolean ok =
              "url".equals(type)
                  ? source.getString("url", "").startsWith("http")
                  : "base64".equals(type)
                      && source.getString("data") != null
                      && ("image".equals(block.getString("type"))
                          ? List.of("image/jpeg", "image/png", "image/gif", "image/webp")
                              .contains(source.getString("media_type"))
                          : "application/pdf".equals(source.getString("media_type")));
          if (!ok) {
            throw new IllegalArgumentException(at + ".source: invalid " + source.encode());
          }
        }
        default ->
            throw new IllegalArgumentException(
                at + ".type: Input tag '" + block.getString("type") + "' is not expected");
      }
    }
  }

  @Override
  public JsonObject success(String id, MockCall call, MockUsage usage, Instant now) {
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", call.model())
        .put("content", content(call, usage))
        .put(
            "stop_reason",
            usage.truncated() ? "max_tokens" : call.forcedTool() != null ? "tool_use" : "end_turn")
        .put("stop_sequence", null)
        .put(
            "usage",
            new JsonObject()
                .put(
                    "input_tokens",
                    usage.promptTokens() - usage.cachedTokens() - usage.cache().written())
                .put("cache_read_input_tokens", usage.cachedTokens())
                .put("cache_creation_input_tokens", usage.cache().written())
                .put(
                    "cache_creation",
                    new JsonObject()
                        .put("ephemeral_5m_input_tokens", usage.cache().write5m())
                        .put("ephemeral_1h_input_tokens", usage.cache().write1h()))
                .put("output_tokens", usage.outputTokens()));
  }

  /** The answer's blocks: its thinking when asked for, then its one block. */
  private static JsonArray content(MockCall call, MockUsage usage) {
    JsonArray content = new JsonArray();
    if (call.thinks()) {
      content.add(
          new JsonObject()
              .put("type", "thinking")
              .put("thinking", "The user said something; I will echo it.")
              .put("signature", "bW9jay10aGlua2luZw=="));
    }
    return content.add(block(call, usage));
  }

  /**
   * The answer's one block: text, or a call of the tool the request forced, the answer its input.
   */
  private static JsonObject block(MockCall call, MockUsage usage) {
    if (call.forcedTool() == null) {
      return new JsonObject().put("type", "text").put("text", usage.answer());
    }
    return new JsonObject()
        .put("type", "tool_use")
        .put("id", "toolu_mock")
        .put("name", call.forcedTool())
        .put("input", new JsonObject().put("answer", usage.answer()));
  }

  /** Input tokens exclude cache reads and writes, which have their own fields. */
  @Override
  public BilledTokens billed(JsonObject success) {
    JsonObject usage = success.getJsonObject("usage");
    JsonObject writes = usage.getJsonObject("cache_creation");
    return new BilledTokens(
        usage.getLong("input_tokens"),
        usage.getLong("cache_read_input_tokens"),
        writes.getLong("ephemeral_5m_input_tokens"),
        writes.getLong("ephemeral_1h_input_tokens"),
        usage.getLong("output_tokens"),
        0);
  }

  @Override
  public JsonObject error(int status, String type, String message) {
    String anthropicType =
        switch (status) {
          case 429 -> "rate_limit_error";
          case 529 -> "overloaded_error";
          case 404 -> "not_found_error";
          case 401 -> "authentication_error";
          case 400 -> "invalid_request_error";
          default -> "api_error";
        };
    return new JsonObject()
        .put("type", "error")
        .put("error", new JsonObject().put("type", anthropicType).put("message", message));
  }
}
