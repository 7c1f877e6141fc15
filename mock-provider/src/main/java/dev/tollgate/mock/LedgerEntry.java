package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One call the mock provider served and billed, as a real provider's invoice would list it: its
 * tokens as its own answer reported them, its cost at the mock's own prices.
 */
public record LedgerEntry(
    String callId,
    String provider,
    String model,
    BilledTokens tokens,
    long costMicros,
    Instant at) {

  JsonObject toJson() {
    return new JsonObject()
        .put("call_id", callId)
        .put("provider", provider)
        .put("model", model)
        .put("input_tokens", tokens.input())
        .put("cached_input_tokens", tokens.cachedInput())
        .put("cache_write_tokens", tokens.cacheWrite())
        .put("cache_write_1h_tokens", tokens.cacheWrite1h())
        .put("output_tokens", tokens.output())
        .put("reasoning_tokens", tokens.reasoning())
        .put("cost_micros", costMicros)
        .put("at", at.toString());
  }
}
