package dev.tollgate.mock;

import dev.tollgate.schemas.TokenUsage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One call the mock provider served and billed, as a real provider's invoice would list it. Tokens
 * are in Tollgate's disjoint buckets (input excludes cached; reasoning is part of output).
 */
public record LedgerEntry(
    String callId, String provider, String model, TokenUsage usage, long costMicros, Instant at) {

  JsonObject toJson() {
    return new JsonObject()
        .put("call_id", callId)
        .put("provider", provider)
        .put("model", model)
        .put("input_tokens", usage.getInputTokens())
        .put("cached_input_tokens", usage.getCachedInputTokens())
        .put("cache_write_tokens", usage.getCacheWriteTokens())
        .put("output_tokens", usage.getOutputTokens())
        .put("reasoning_tokens", usage.getReasoningTokens())
        .put("cost_micros", costMicros)
        .put("at", at.toString());
  }
}
