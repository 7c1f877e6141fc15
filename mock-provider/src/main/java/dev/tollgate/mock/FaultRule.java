package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Faults injected into calls to one model (or every model) of one provider (or every one): error
 * rates by kind, extra latency, an outage window.
 *
 * @param provider the provider it applies to, or null for all
 * @param model the model it applies to, or null for all
 * @param rates probability per fault kind: {@code "429"}, {@code "500"}, {@code "503"}, {@code
 *     "529"}, {@code "timeout"} (no answer within {@code timeoutMs}), {@code "malformed"} (a 200
 *     whose body is not JSON)
 * @param retryAfterMs the {@code Retry-After} sent with 429 and 529 answers
 * @param latencyMs extra latency added to every matching call
 * @param outageUntilMs until when (epoch ms) every matching call answers 503
 * @param timeoutMs how long a "timeout" call hangs before answering
 * @param count how many matching calls the rule applies to before it expires; 0 for no limit
 */
record FaultRule(
    String provider,
    String model,
    Map<String, Double> rates,
    long retryAfterMs,
    long latencyMs,
    long outageUntilMs,
    long timeoutMs,
    long count) {

  static final java.util.Set<String> KINDS =
      java.util.Set.of("429", "500", "503", "529", "timeout", "malformed");

  boolean matches(String provider, String model) {
    return (this.provider == null || this.provider.equals(provider))
        && (this.model == null || this.model.equals(model));
  }

  /** Parses {@code POST /_mock/faults}; throws IllegalArgumentException naming the bad field. */
  static FaultRule parse(JsonObject body, long nowMs) {
    Map<String, Double> rates = new TreeMap<>();
    JsonObject errorRates = body.getJsonObject("error_rates", new JsonObject());
    double total = 0;
    for (String kind : errorRates.fieldNames()) {
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException(
            "error_rates." + kind + ": unknown fault kind, use one of " + KINDS);
      }
      double rate = errorRates.getDouble(kind);
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("error_rates." + kind + ": must be between 0 and 1");
      }
      rates.put(kind, rate);
      total += rate;
    }
    if (total > 1.0 + 1e-9) {
      throw new IllegalArgumentException("error_rates: must add up to at most 1");
    }
    long outageMs = body.getLong("outage_ms", 0L);
    return new FaultRule(
        body.getString("provider"),
        body.getString("model"),
        rates,
        body.getLong("retry_after_ms", 0L),
        body.getLong("latency_ms", 0L),
        outageMs > 0 ? nowMs + outageMs : 0,
        body.getLong("timeout_ms", 120_000L),
        body.getLong("count", 0L));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("provider", provider)
        .put("model", model)
        .put("error_rates", new JsonObject(new TreeMap<String, Object>(rates)))
        .put("retry_after_ms", retryAfterMs)
        .put("latency_ms", latencyMs)
        .put("outage_until_ms", outageUntilMs)
        .put("timeout_ms", timeoutMs)
        .put("count", count);
  }
}
