package dev.tollgate.platform.governance;

/**
 * A token bucket for a per-minute limit: full at {@code perMinute} tokens, refilled continuously at
 * {@code perMinute} per minute. State is two longs (tokens in thousandths, and when they were
 * counted), so it can live in any store; the clock is the caller's.
 */
public record TokenBucket(long perMinute) {

  /** Tokens are kept in thousandths, so slow refills are not lost to rounding. */
  public static final long SCALE = 1000;

  private static final long MINUTE_MS = 60_000;

  public TokenBucket {
    if (perMinute < 1 || perMinute > 100_000_000_000L) {
      throw new IllegalArgumentException("a per-minute limit must be 1 to 10^11, got " + perMinute);
    }
  }

  /** The state of a bucket nobody has drawn from: full. */
  public State full(long nowMs) {
    return new State(capacity(), nowMs);
  }

  /** The bucket's state at {@code nowMs}, refilled since it was last counted. */
  public State refill(State state, long nowMs) {
    if (state == null) {
      return full(nowMs);
    }
    long elapsed = Math.max(0, nowMs - state.atMs());
    long refill = elapsed >= MINUTE_MS ? capacity() : elapsed * perMinute * SCALE / MINUTE_MS;
    return new State(
        Math.min(capacity(), state.milliTokens() + refill), Math.max(nowMs, state.atMs()));
  }

  /** Whether {@code cost} tokens are there now. */
  public boolean has(State refilled, long cost) {
    return refilled.milliTokens() >= cost * SCALE;
  }

  /** {@code refilled} with {@code cost} tokens taken. */
  public State take(State refilled, long cost) {
    return new State(refilled.milliTokens() - cost * SCALE, refilled.atMs());
  }

  /** Whether {@code cost} tokens could ever be there at once. */
  public boolean fits(long cost) {
    return cost <= perMinute;
  }

  /** Milliseconds until {@code cost} tokens are there (0 if they are now). */
  public long waitMs(State refilled, long cost) {
    long missing = cost * SCALE - refilled.milliTokens();
    return missing <= 0 ? 0 : ceilDiv(missing * MINUTE_MS, capacity());
  }

  /** Milliseconds until the bucket is full again. */
  public long untilFullMs(State refilled) {
    return ceilDiv((capacity() - refilled.milliTokens()) * MINUTE_MS, capacity());
  }

  /** Whole tokens there now. */
  public long remaining(State refilled) {
    return refilled.milliTokens() / SCALE;
  }

  private long capacity() {
    return perMinute * SCALE;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Tokens (in thousandths) as counted at {@code atMs}. */
  public record State(long milliTokens, long atMs) {}
}
