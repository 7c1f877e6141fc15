package dev.tollgate.ingest;

import dev.tollgate.platform.governance.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per source address: each source may fail {@code perMinute} times a minute
 * (a token bucket); past that, its requests are refused with 429 before any key is looked at, so
 * keys cannot be guessed at speed. The table is cleared when it grows past 100,000 sources.
 */
final class AuthFailures {

  private static final int MAX_SOURCES = 100_000;

  private final TokenBucket bucket;
  private final LongSupplier clockMs;
  private final Map<String, TokenBucket.State> sources = new ConcurrentHashMap<>();

  AuthFailures(long perMinute, LongSupplier clockMs) {
    this.bucket = new TokenBucket(perMinute);
    this.clockMs = clockMs;
  }

  /** Whether {@code source} has failures left to spend. */
  boolean allowed(String source) {
    TokenBucket.State state = sources.get(source);
    return state == null || bucket.has(bucket.refill(state, clockMs.getAsLong()), 1);
  }

  /** Records one failure of {@code source}. */
  void failed(String source) {
    if (sources.size() > MAX_SOURCES) {
      sources.clear();
    }
    long now = clockMs.getAsLong();
    sources.compute(
        source,
        (s, state) -> {
          TokenBucket.State refilled = bucket.refill(state, now);
          return bucket.has(refilled, 1) ? bucket.take(refilled, 1) : refilled;
        });
  }
}
