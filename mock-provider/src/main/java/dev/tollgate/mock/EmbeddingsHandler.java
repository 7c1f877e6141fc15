package dev.tollgate.mock;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's {@code /v1/embeddings}: a deterministic unit vector per input (seeded by its text, so
 * equal texts embed equally), {@code dimensions} long or the model's own length (3,072 for models
 * named {@code *-large}, else 1,536); usage one token per started 4 characters of each input,
 * billed in the ledger like a chat call. Token-id inputs and base64 output are not served.
 */
final class EmbeddingsHandler implements Handler<RoutingContext> {

  private final OpenAiFormat format = new OpenAiFormat();
  private final MockPrices prices;
  private final BillingLedger ledger;
  private final Clock clock;
  private final AtomicLong calls;

  EmbeddingsHandler(MockPrices prices, BillingLedger ledger, Clock clock, AtomicLong calls) {
    this.prices = prices;
    this.ledger = ledger;
    this.clock = clock;
    this.calls = calls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!format.authenticated(ctx)) {
      ChatHandler.send(ctx, 401, format.error(401, "authentication_error", "missing API key"), 0);
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String provider = ctx.pathParam("provider");
    String model = body == null ? "" : body.getString("model", "");
    MockPrices.Rates price = prices.of(model).orElse(null);
    if (price == null) {
      ChatHandler.send(
          ctx,
          404,
          format.error(404, "model_not_found", "The model `" + model + "` does not exist"),
          0);
      return;
    }
    if (!(body.getValue("input") instanceof JsonArray inputs)
        || inputs.isEmpty()
        || !"float".equals(body.getString("encoding_format", "float"))) {
      ChatHandler.send(
          ctx, 400, format.error(400, "invalid_request_error", "input: an array of strings"), 0);
      return;
    }
    int dimensions = body.getInteger("dimensions", model.endsWith("-large") ? 3072 : 1536);
    JsonArray data = new JsonArray();
    long tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String text = inputs.getString(i);
      tokens += MockUsage.textTokens(text);
      data.add(
          new JsonObject()
              .put("object", "embedding")
              .put("index", i)
              .put("embedding", vector(text, dimensions)));
    }
    BilledTokens billed = BilledTokens.input(tokens);
    String id = provider + "-call-" + calls.incrementAndGet();
    ledger.record(
        new LedgerEntry(id, provider, model, billed, price.costMicros(billed), clock.instant()));
    ChatHandler.send(
        ctx,
        200,
        new JsonObject()
            .put("object", "list")
            .put("data", data)
            .put("model", model)
            .put(
                "usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)),
        0);
  }

  /** A unit vector determined by {@code text}. */
  static JsonArray vector(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    float[] values = new float[dimensions];
    double norm = 0;
    for (int d = 0; d < dimensions; d++) {
      values[d] = (float) random.nextGaussian();
      norm += values[d] * values[d];
    }
    JsonArray vector = new JsonArray();
    for (float v : values) {
      vector.add((float) (v / Math.sqrt(norm)));
    }
    return vector;
  }
}
