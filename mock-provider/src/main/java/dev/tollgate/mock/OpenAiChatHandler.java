package dev.tollgate.mock;

import dev.tollgate.platform.catalog.Price;
import dev.tollgate.platform.catalog.PriceCalculator;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.TokenUsage;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /<provider>/v1/chat/completions} in OpenAI's shape: deterministic usage, an answer
 * that echoes the last user message, the configured latency, and one ledger entry per call.
 */
final class OpenAiChatHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final Map<String, Price> prices;
  private final BillingLedger ledger;
  private final Clock clock;
  private final AtomicLong calls = new AtomicLong();
  private volatile long latencyMs;

  OpenAiChatHandler(Vertx vertx, Map<String, Price> prices, BillingLedger ledger, Clock clock) {
    this.vertx = vertx;
    this.prices = Map.copyOf(prices);
    this.ledger = ledger;
    this.clock = clock;
  }

  static String priceKey(String provider, String model) {
    return provider + "/" + model;
  }

  void setLatency(Duration latency) {
    this.latencyMs = latency.toMillis();
  }

  void configure(RoutingContext ctx) {
    JsonObject body = parse(ctx);
    if (body == null || !(body.getValue("latency_ms") instanceof Number)) {
      OpenAiError.invalidRequest("expected {\"latency_ms\": <number>}", "latency_ms").send(ctx);
      return;
    }
    latencyMs = Math.max(0, body.getLong("latency_ms"));
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("latency_ms", latencyMs).encode());
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().getHeader("Authorization") == null) {
      OpenAiError.unauthorized("You didn't provide an API key.").send(ctx);
      return;
    }
    JsonObject body = parse(ctx);
    if (body == null || !(body.getValue("messages") instanceof JsonArray)) {
      OpenAiError.invalidRequest("'messages' is required", "messages").send(ctx);
      return;
    }
    String provider = ctx.pathParam("provider");
    String model = body.getString("model", "");
    Price price = prices.get(priceKey(provider, model));
    if (price == null) {
      OpenAiError.notFound("model_not_found", "The model `" + model + "` does not exist.", "model")
          .send(ctx);
      return;
    }
    JsonObject response = answer(provider, model, price, body);
    Runnable send =
        () -> ctx.response().putHeader("Content-Type", "application/json").end(response.encode());
    if (latencyMs > 0) {
      vertx.setTimer(latencyMs, id -> send.run());
    } else {
      send.run();
    }
  }

  private JsonObject answer(String provider, String model, Price price, JsonObject body) {
    JsonArray messages = body.getJsonArray("messages");
    long promptTokens = MockTokens.promptTokens(messages);
    String text = "Mock reply to: " + MockTokens.lastUserText(messages);
    long fullTokens = MockTokens.textTokens(text);
    Integer maxTokens = body.getInteger("max_completion_tokens", body.getInteger("max_tokens"));
    boolean truncated = maxTokens != null && fullTokens > maxTokens;
    long completionTokens = truncated ? maxTokens : fullTokens;
    if (truncated) {
      text = text.substring(0, (int) Math.min(text.length(), completionTokens * 4));
    }
    String id = provider + "-chatcmpl-" + calls.incrementAndGet();
    TokenUsage usage =
        TokenUsage.newBuilder()
            .setInputTokens(promptTokens)
            .setOutputTokens(completionTokens)
            .build();
    long cost = PriceCalculator.costMicros(usage, price);
    ledger.record(
        new LedgerEntry(id, model, promptTokens, 0, completionTokens, cost, clock.instant()));
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", clock.instant().getEpochSecond())
        .put("model", model)
        .put("system_fingerprint", "fp_tollgate_mock")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", text))
                        .put("logprobs", null)
                        .put("finish_reason", truncated ? "length" : "stop")))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0))
                .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0)));
  }

  private static JsonObject parse(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
