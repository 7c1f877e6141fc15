package dev.tollgate.workers.resilience;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before retry number {@code n}: exponential from the initial backoff, with ±50% jitter so
 * that many workers do not retry in step, capped at the maximum; at least what the provider asked
 * for with Retry-After; and never past the request's deadline.
 */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /**
   * @param retry 1 for the wait before the first retry
   * @param retryAfter what the provider asked for, or zero
   * @param timeLeft until the request's deadline
   */
  Duration before(int retry, Duration retryAfter, Duration timeLeft) {
    double exponential = initial.toMillis() * Math.pow(2, Math.max(0, retry - 1));
    long jittered = (long) (exponential * (0.5 + random.getAsDouble()));
    long wait = Math.max(Math.min(jittered, max.toMillis()), retryAfter.toMillis());
    return Duration.ofMillis(Math.max(0, Math.min(wait, timeLeft.toMillis())));
  }
}
