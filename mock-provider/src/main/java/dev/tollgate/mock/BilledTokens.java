package dev.tollgate.mock;

/**
 * A call's tokens as the mock bills them, read back from the usage its own answer reported in its
 * provider's semantics: disjoint buckets (input without cached or cache-write tokens), reasoning
 * part of output.
 */
public record BilledTokens(
    long input, long cachedInput, long cacheWrite, long cacheWrite1h, long output, long reasoning) {

  static BilledTokens input(long tokens) {
    return new BilledTokens(tokens, 0, 0, 0, 0, 0);
  }
}
