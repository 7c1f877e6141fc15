package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One call the mock provider served and billed, as a real provider's invoice would list it. */
public record LedgerEntry(
    String callId,
    String model,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens,
    long costMicros,
    Instant at) {

  JsonObject toJson() {
    return new JsonObject()
        .put("call_id", callId)
        .put("model", model)
        .put("input_tokens", inputTokens)
        .put("cached_input_tokens", cachedInputTokens)
        .put("output_tokens", outputTokens)
        .put("cost_micros", costMicros)
        .put("at", at.toString());
  }
}
