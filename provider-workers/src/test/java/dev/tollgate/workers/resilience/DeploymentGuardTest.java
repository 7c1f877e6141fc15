package dev.tollgate.workers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.workers.adapter.ProviderResult;
import dev.tollgate.workers.adapter.RetryClassifier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentGuardTest {

  private static final ProviderResult OK =
      ProviderResult.Success.of(
          Completion.newBuilder()
              .setId("x")
              .setCreated(0)
              .setModel("m")
              .setChoices(List.of())
              .build(),
          TokenUsage.newBuilder().build());
  private static final ProviderResult UNAVAILABLE =
      new ProviderResult.Failure(503, "server_error", null, "down");
  private static final ProviderResult BAD_REQUEST =
      new ProviderResult.Failure(400, "invalid_request_error", null, "bad");

  private final DeploymentGuards guards =
      new DeploymentGuards(
          new ResilienceSettings(
              3, Duration.ofMillis(1), Duration.ofMillis(5), 50, 4, 4, Duration.ofMinutes(1), 2),
          Clock.systemUTC());

  @AfterEach
  void close() {
    guards.close();
  }

  @Test
  void retriesTransientFailuresUntilOneSucceeds() {
    Script script = new Script(UNAVAILABLE, UNAVAILABLE, OK);

    assertThat(run("d1", script, farAway())).isSameAs(OK);
    assertThat(script.calls.get()).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastFailure() {
    Script script = new Script(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, OK);

    assertThat(run("d2", script, farAway())).isSameAs(UNAVAILABLE);
    assertThat(script.calls.get()).isEqualTo(3);
  }

  @Test
  void neverRetriesTheClientsOwnErrors() {
    Script script = new Script(BAD_REQUEST, OK);

    assertThat(run("d3", script, farAway())).isSameAs(BAD_REQUEST);
    assertThat(script.calls.get()).isEqualTo(1);
  }

  @Test
  void stopsAtTheDeadline() {
    Script script = new Script(UNAVAILABLE, OK);

    ProviderResult result = run("d4", script, Instant.now().minusMillis(1));

    assertThat(((ProviderResult.Failure) result).code())
        .isEqualTo(RetryClassifier.DEADLINE_EXCEEDED);
    assertThat(script.calls.get()).isZero();
  }

  @Test
  void opensTheCircuitAfterRepeatedFailuresAndThenFailsFast() {
    for (int i = 0; i < 2; i++) {
      run("d5", new Script(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE), farAway());
    }
    assertThat(guards.of("d5").circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

    Script script = new Script(OK);
    ProviderResult result = run("d5", script, farAway());

    assertThat(((ProviderResult.Failure) result).code()).isEqualTo(RetryClassifier.CIRCUIT_OPEN);
    assertThat(script.calls.get()).isZero();
  }

  private ProviderResult run(
      String deployment, Supplier<CompletionStage<ProviderResult>> attempt, Instant deadline) {
    return guards.of(deployment).call(attempt, deadline).toCompletableFuture().join();
  }

  private static Instant farAway() {
    return Instant.now().plusSeconds(30);
  }

  /** Answers each call with the next scripted result. */
  private static final class Script implements Supplier<CompletionStage<ProviderResult>> {
    final Deque<ProviderResult> results;
    final AtomicInteger calls = new AtomicInteger();

    Script(ProviderResult... results) {
      this.results = new ArrayDeque<>(List.of(results));
    }

    @Override
    public CompletionStage<ProviderResult> get() {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(results.poll());
    }
  }
}
