package dev.tollgate.platform.catalog;

import dev.tollgate.schemas.TokenUsage;

/**
 * The one place a call's cost is computed: each token kind at its own price, summed exactly in
 * micro-USD-per-million units, then rounded once, half up, to whole micro-USD. Integer arithmetic
 * throughout; an overflow fails loudly instead of wrapping.
 */
public final class PriceCalculator {

  private static final long PER_MILLION = 1_000_000L;

  private PriceCalculator() {}

  /** The cost of {@code usage} at {@code price}, in micro-USD. */
  public static long costMicros(TokenUsage usage, Price price) {
    long scaled =
        Math.addExact(
            Math.addExact(
                Math.multiplyExact(usage.getInputTokens(), price.input()),
                Math.multiplyExact(usage.getCachedInputTokens(), price.cachedInput())),
            Math.addExact(
                Math.addExact(
                    Math.multiplyExact(usage.getCacheWriteTokens(), price.cacheWrite()),
                    Math.multiplyExact(usage.getCacheWrite1hTokens(), price.cacheWrite1h())),
                Math.multiplyExact(usage.getOutputTokens(), price.output())));
    return roundHalfUp(scaled);
  }

  /**
   * The most a call can cost: every prompt token at the highest input-side price and {@code
   * maxOutputTokens} at the output price. Budgets reserve this before a call. The one-hour cache
   * write counts only for a request with a one-hour breakpoint ({@code oneHourWrites}): no other
   * request can be billed it.
   */
  public static long worstCaseMicros(
      long promptTokens, long maxOutputTokens, Price price, boolean oneHourWrites) {
    long inputPrice =
        Math.max(
            Math.max(price.input(), price.cachedInput()),
            Math.max(price.cacheWrite(), oneHourWrites ? price.cacheWrite1h() : 0));
    return roundUp(
        Math.addExact(
            Math.multiplyExact(promptTokens, inputPrice),
            Math.multiplyExact(maxOutputTokens, price.output())));
  }

  private static long roundHalfUp(long scaled) {
    return Math.addExact(scaled, PER_MILLION / 2) / PER_MILLION;
  }

  private static long roundUp(long scaled) {
    return Math.addExact(scaled, PER_MILLION - 1) / PER_MILLION;
  }
}
