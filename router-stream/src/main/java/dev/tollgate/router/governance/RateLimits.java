package dev.tollgate.router.governance;

import dev.tollgate.platform.governance.TokenBucket;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.RateBucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests and tokens per minute, per key and per team, as token buckets in the router's store
 * (key: {@code <scope>|<unit>}). A request is admitted only if every bucket has room, and then
 * draws from all of them; a refusal draws from none. Refusals say when to retry and carry OpenAI's
 * {@code x-ratelimit-*} headers.
 */
public final class RateLimits {

  private final StateMap<RateBucket> buckets;

  public RateLimits(StateMap<RateBucket> buckets) {
    this.buckets = buckets;
  }

  /** One scope's limits, e.g. {@code team:acme} with the team's {@link Limits}. */
  public record Scope(String name, Limits limits) {}

  /** The outcome: admitted, or refused with a message, when to retry and the headers. */
  public record Verdict(
      boolean admitted, String message, long retryAfterMs, Map<String, String> headers) {}

  /**
   * Admits one request estimated at {@code tokens} tokens against every limit of {@code scopes}, at
   * {@code nowMs}.
   */
  public Verdict admit(List<Scope> scopes, long tokens, long nowMs) {
    List<Draw> draws = new ArrayList<>();
    for (Scope scope : scopes) {
      add(draws, scope.name(), "requests", scope.limits().getRequestsPerMinute(), 1, nowMs);
      add(draws, scope.name(), "tokens", scope.limits().getTokensPerMinute(), tokens, nowMs);
    }
    Map<String, String> headers = headers(draws);
    for (Draw d : draws) {
      if (!d.bucket().fits(d.cost())) {
        return new Verdict(
            false,
            "Request too large for "
                + d.scope()
                + ": it needs "
                + d.cost()
                + " "
                + d.unit()
                + " (estimated prompt plus max_tokens), the limit is "
                + d.bucket().perMinute()
                + " per minute. Lower max_tokens or the prompt.",
            0,
            headers);
      }
    }
    long wait = 0;
    Draw blocking = null;
    for (Draw d : draws) {
      long w = d.bucket().waitMs(d.state(), d.cost());
      if (w > wait) {
        wait = w;
        blocking = d;
      }
    }
    if (blocking != null) {
      return new Verdict(
          false,
          "Rate limit reached for "
              + blocking.scope()
              + " on "
              + blocking.unit()
              + " per minute: limit "
              + blocking.bucket().perMinute()
              + ", remaining "
              + blocking.bucket().remaining(blocking.state())
              + ". Try again in "
              + seconds(wait)
              + ".",
          wait,
          headers);
    }
    for (Draw d : draws) {
      TokenBucket.State after = d.bucket().take(d.state(), d.cost());
      buckets.put(d.key(), new RateBucket(after.milliTokens(), after.atMs()));
    }
    return new Verdict(true, null, 0, headers);
  }

  private void add(List<Draw> draws, String scope, String unit, Long limit, long cost, long nowMs) {
    if (limit == null) {
      return;
    }
    String key = scope + "|" + unit;
    TokenBucket bucket = new TokenBucket(limit);
    RateBucket stored = buckets.get(key);
    TokenBucket.State state =
        bucket.refill(
            stored == null
                ? null
                : new TokenBucket.State(stored.getMilliTokens(), stored.getUpdatedAtMs()),
            nowMs);
    draws.add(new Draw(scope, unit, key, bucket, state, cost));
  }

  /** OpenAI's headers, from the tightest limit of each unit. */
  private static Map<String, String> headers(List<Draw> draws) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String unit : List.of("requests", "tokens")) {
      draws.stream()
          .filter(d -> d.unit().equals(unit))
          .min(
              (a, b) ->
                  Long.compare(a.bucket().remaining(a.state()), b.bucket().remaining(b.state())))
          .ifPresent(
              d -> {
                headers.put("x-ratelimit-limit-" + unit, Long.toString(d.bucket().perMinute()));
                headers.put(
                    "x-ratelimit-remaining-" + unit,
                    Long.toString(d.bucket().remaining(d.state())));
                headers.put(
                    "x-ratelimit-reset-" + unit, seconds(d.bucket().untilFullMs(d.state())));
              });
    }
    return headers;
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
  }

  private record Draw(
      String scope,
      String unit,
      String key,
      TokenBucket bucket,
      TokenBucket.State state,
      long cost) {}
}
