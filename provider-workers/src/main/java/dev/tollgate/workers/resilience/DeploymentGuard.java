package dev.tollgate.workers.resilience;

import dev.tollgate.workers.adapter.ProviderResult;
import dev.tollgate.workers.adapter.RetryClassifier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Everything that protects one deployment, in Resilience4j's documented order:
 * Retry(CircuitBreaker(Bulkhead(call))). Retries only what {@link RetryClassifier} calls transient,
 * waits per {@link Backoff} (honouring Retry-After), and never past the request's deadline. The
 * breaker counts transient failures; when it is open, calls fail at once with {@code circuit_open},
 * which the worker answers by falling back to the next deployment.
 */
public final class DeploymentGuard {

  private final Retry retry;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Backoff backoff;
  private final RateLimitPacer pacer = new RateLimitPacer();

  DeploymentGuard(
      String deploymentId, ResilienceSettings s, ScheduledExecutorService scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.backoff =
        new Backoff(
            s.initialBackoff(), s.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
    this.breaker =
        CircuitBreaker.of(
            deploymentId,
            CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowSize(s.window())
                .minimumNumberOfCalls(s.minimumCalls())
                .failureRateThreshold(s.failureRatePercent())
                .waitDurationInOpenState(s.openFor())
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, s.minimumCalls()))
                .recordResult(r -> r instanceof Attempted a && isTransientFailure(a.result()))
                .ignoreExceptions(BulkheadFullException.class)
                .build());
    this.bulkhead =
        Bulkhead.of(
            deploymentId,
            BulkheadConfig.custom()
                .maxConcurrentCalls(s.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
    this.retry =
        Retry.of(
            deploymentId,
            RetryConfig.<Attempted>custom()
                .maxAttempts(s.maxAttempts())
                .retryOnResult(a -> isTransientFailure(a.result()))
                .retryExceptions(BulkheadFullException.class)
                .ignoreExceptions(CallNotPermittedException.class)
                .intervalBiFunction(
                    (attempt, outcome) -> {
                      Attempted last = outcome.isRight() ? outcome.get() : null;
                      Duration retryAfter =
                          last != null && last.result() instanceof ProviderResult.Failure f
                              ? f.retryAfter()
                              : Duration.ZERO;
                      Duration left =
                          last == null
                              ? s.maxBackoff()
                              : Duration.between(clock.instant(), last.deadline());
                      return backoff.before(attempt, retryAfter, left).toMillis();
                    })
                .failAfterMaxAttempts(false)
                .build());
  }

  /** A result with its request's deadline, so the retry's waits can stop at the deadline. */
  private record Attempted(ProviderResult result, Instant deadline) {}

  /**
   * Runs {@code attempt} under the guard until it succeeds, fails for good, runs out of attempts or
   * reaches {@code deadline}. Never completes exceptionally: every failure is a {@link
   * ProviderResult.Failure}.
   */
  public CompletionStage<ProviderResult> call(
      Supplier<CompletionStage<ProviderResult>> attempt, Instant deadline) {
    Supplier<CompletionStage<Attempted>> bounded =
        () ->
            (clock.instant().isBefore(deadline)
                    ? attempt.get()
                    : CompletableFuture.<ProviderResult>completedFuture(deadlinePassed()))
                .thenApply(result -> new Attempted(result, deadline));
    Supplier<CompletionStage<Attempted>> guarded =
        Retry.decorateCompletionStage(
            retry,
            scheduler,
            CircuitBreaker.decorateCompletionStage(
                breaker, Bulkhead.decorateCompletionStage(bulkhead, bounded)));
    return guarded.get().thenApply(Attempted::result).exceptionally(DeploymentGuard::asFailure);
  }

  /** The pacing learned from this deployment's rate-limit headers. */
  public RateLimitPacer pacer() {
    return pacer;
  }

  public CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  static boolean isTransientFailure(Object result) {
    return result instanceof ProviderResult.Failure f && RetryClassifier.isRetryable(f);
  }

  private static ProviderResult asFailure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof CallNotPermittedException) {
      return new ProviderResult.Failure(
          503,
          "circuit_open",
          RetryClassifier.CIRCUIT_OPEN,
          "circuit open: deployment recently failing");
    }
    if (cause instanceof BulkheadFullException) {
      return new ProviderResult.Failure(
          503, "overloaded", "bulkhead_full", "too many calls in flight to the deployment");
    }
    return ProviderResult.Failure.noResponse(cause);
  }

  private static ProviderResult deadlinePassed() {
    return new ProviderResult.Failure(
        504, "timeout_error", RetryClassifier.DEADLINE_EXCEEDED, "the request's deadline passed");
  }
}
