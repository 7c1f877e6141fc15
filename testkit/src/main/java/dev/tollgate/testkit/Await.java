package dev.tollgate.testkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits, in tests, for something that happens on another thread or in another service: checks every
 * {@value #POLL_MS} ms, and fails with an {@link AssertionError} that names what was awaited (and
 * the last value seen) once the bound has passed. Every wait in a test has a bound.
 */
public final class Await {

  /** A check that may throw (an HTTP call, a Kafka read). */
  @FunctionalInterface
  public interface Check<T> {
    T get() throws Exception;
  }

  static final long POLL_MS = 20;

  private Await() {}

  /** Waits until {@code condition} holds. */
  public static void until(String what, Duration timeout, Check<Boolean> condition) {
    value(what, timeout, condition, Boolean::booleanValue);
  }

  /** The first value of {@code check} that {@code done} accepts. */
  public static <T> T value(String what, Duration timeout, Check<T> check, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception failure = null;
    while (true) {
      try {
        last = check.get();
        failure = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
        failure = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError timedOut =
            new AssertionError(
                "timed out after " + timeout + " waiting for " + what + "; last: " + last);
        if (failure != null) {
          timedOut.initCause(failure);
        }
        throw timedOut;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
