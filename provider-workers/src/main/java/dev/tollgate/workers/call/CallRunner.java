package dev.tollgate.workers.call;

import dev.tollgate.schemas.Attempt;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import dev.tollgate.workers.adapter.HttpCall;
import dev.tollgate.workers.adapter.ProviderAdapter;
import dev.tollgate.workers.adapter.ProviderResult;
import dev.tollgate.workers.adapter.RetryClassifier;
import dev.tollgate.workers.resilience.DeploymentGuard;
import dev.tollgate.workers.resilience.DeploymentGuards;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Calls one deployment for one request under its guard, and keeps the record of every HTTP call
 * made: an {@link Attempt} for the request's history and a {@link ProviderHealth} observation for
 * the router.
 */
public final class CallRunner {

  /** The final result of a deployment's calls, with what each call looked like. */
  public record CallResult(
      ProviderResult result, List<Attempt> attempts, List<ProviderHealth> observations) {}

  private final ProviderAdapter adapter;
  private final ProviderClient client;
  private final CallIntents intents;
  private final String priceVersion;
  private final DeploymentGuards guards;
  private final Duration callTimeout;
  private final Clock clock;
  private final WorkerMetrics metrics;

  public CallRunner(
      ProviderAdapter adapter,
      ProviderClient client,
      CallIntents intents,
      String priceVersion,
      DeploymentGuards guards,
      Duration callTimeout,
      Clock clock,
      WorkerMetrics metrics) {
    this.adapter = adapter;
    this.client = client;
    this.intents = intents;
    this.priceVersion = priceVersion;
    this.guards = guards;
    this.callTimeout = callTimeout;
    this.clock = clock;
    this.metrics = metrics;
  }

  public CompletionStage<CallResult> run(
      HttpCall call, RoutedRequest routed, DeploymentRef deployment) {
    LlmRequest request = routed.getRequest();
    int earlierAttempts = routed.getAttempts().size();
    Instant deadline = request.getDeadlineAt();
    DeploymentGuard guard = guards.of(deployment.getDeploymentId());
    List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    List<ProviderHealth> observations = Collections.synchronizedList(new ArrayList<>());
    return guard
        .call(
            () -> once(call, routed, deployment, earlierAttempts, guard, attempts, observations),
            deadline)
        .thenApply(
            result -> {
              if (attempts.isEmpty() && result instanceof ProviderResult.Failure f) {
                // Refused before any call (circuit open, bulkhead full, deadline): still history.
                attempts.add(attempt(deployment, null, result, clock.instant(), 0));
              }
              return new CallResult(result, List.copyOf(attempts), List.copyOf(observations));
            });
  }

  private CompletionStage<ProviderResult> once(
      HttpCall call,
      RoutedRequest routed,
      DeploymentRef deployment,
      int earlierAttempts,
      DeploymentGuard guard,
      List<Attempt> attempts,
      List<ProviderHealth> observations) {
    if (!attempts.isEmpty()) {
      metrics.retried(deployment);
    }
    LlmRequest request = routed.getRequest();
    String callId = UUID.randomUUID().toString();
    UsageEvent intent =
        Outcomes.usage(
            request,
            deployment,
            callId,
            UsageKind.IN_DOUBT,
            TokenUsage.newBuilder().build(),
            0,
            priceVersion,
            earlierAttempts + attempts.size() + 1,
            clock.instant());
    // Unresolved, the call counts at the most it can cost (decision 0033).
    intent.setWorstCaseMicros(routed.getWorstCaseMicros());
    return intents
        .before(intent)
        .thenCompose(written -> paced(guard, request.getDeadlineAt()))
        .thenCompose(
            ready -> post(call, request, deployment, callId, guard, attempts, observations))
        .exceptionally(
            e ->
                new ProviderResult.Failure(
                    503,
                    "gateway_error",
                    "intent_not_recorded",
                    "could not record the call before making it: " + e));
  }

  /** Waits as the deployment's rate-limit pacing asks, but never past the deadline. */
  private CompletionStage<Void> paced(DeploymentGuard guard, Instant deadline) {
    Instant now = clock.instant();
    Duration wait = guard.pacer().delay(now);
    Duration left = Duration.between(now, deadline);
    if (wait.isZero() || wait.compareTo(left) >= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
        () -> {}, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  private CompletionStage<ProviderResult> post(
      HttpCall call,
      LlmRequest request,
      DeploymentRef deployment,
      String callId,
      DeploymentGuard guard,
      List<Attempt> attempts,
      List<ProviderHealth> observations) {
    Instant startedAt = clock.instant();
    long start = System.nanoTime();
    Duration left = Duration.between(startedAt, request.getDeadlineAt());
    metrics.started();
    return client
        .post(call, left.compareTo(callTimeout) < 0 ? left : callTimeout)
        .toCompletionStage()
        .handle(
            (response, error) -> {
              long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              if (response != null) {
                guard.pacer().observe(response::getHeader, clock.instant());
              }
              ProviderResult result =
                  error == null
                      ? adapter.parse(
                          response.statusCode(), response::getHeader, response.bodyAsString())
                      : ProviderResult.Failure.noResponse(error);
              metrics.finished(deployment, result, latencyMs);
              Attempt attempt = attempt(deployment, callId, result, startedAt, latencyMs);
              attempts.add(attempt);
              observations.add(
                  ProviderHealth.newBuilder()
                      .setDeploymentId(deployment.getDeploymentId())
                      .setProvider(deployment.getProvider())
                      .setProviderModel(deployment.getProviderModel())
                      .setOutcome(attempt.getOutcome())
                      .setHttpStatus(attempt.getHttpStatus())
                      .setLatencyMs(latencyMs)
                      .setCircuitState(guard.circuitState().name())
                      .setObservedAt(startedAt.plusMillis(latencyMs))
                      .build());
              return result;
            });
  }

  private static Attempt attempt(
      DeploymentRef deployment,
      String callId,
      ProviderResult result,
      Instant startedAt,
      long latencyMs) {
    Attempt.Builder attempt =
        Attempt.newBuilder()
            .setDeploymentId(deployment.getDeploymentId())
            .setCallId(callId)
            .setProvider(deployment.getProvider())
            .setLatencyMs(latencyMs)
            .setStartedAt(startedAt);
    if (result instanceof ProviderResult.Failure f) {
      attempt
          .setOutcome(
              f.notSent()
                  ? AttemptOutcome.NOT_CONNECTED
                  : f.status() == 0
                      ? AttemptOutcome.TIMEOUT
                      : RetryClassifier.isRetryable(f)
                          ? AttemptOutcome.RETRYABLE_ERROR
                          : AttemptOutcome.FATAL_ERROR)
          .setHttpStatus(f.status() == 0 ? null : f.status())
          .setError(f.message());
    } else {
      attempt.setOutcome(AttemptOutcome.SUCCESS).setHttpStatus(200);
    }
    return attempt.build();
  }
}
