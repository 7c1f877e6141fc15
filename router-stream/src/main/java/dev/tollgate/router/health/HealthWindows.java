package dev.tollgate.router.health;

import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.ProviderHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding window of the most recent calls per deployment (at most {@code size} calls, none older
 * than {@code horizon}), from which latency percentiles and the error rate are read. Fed with
 * {@code provider-health} observations; read by the routing policy on stream threads.
 */
public final class HealthWindows implements HealthView {

  private record Call(long latencyMs, boolean failed, Instant at) {}

  private final int size;
  private final Duration horizon;
  private final Clock clock;
  private final Map<String, Deque<Call>> windows = new ConcurrentHashMap<>();
  private final Map<String, Boolean> circuitOpen = new ConcurrentHashMap<>();

  public HealthWindows(int size, Duration horizon, Clock clock) {
    this.size = size;
    this.horizon = horizon;
    this.clock = clock;
  }

  public void observe(ProviderHealth observation) {
    Deque<Call> window =
        windows.computeIfAbsent(observation.getDeploymentId(), id -> new ArrayDeque<>());
    boolean failed = observation.getOutcome() != AttemptOutcome.SUCCESS;
    synchronized (window) {
      window.addLast(new Call(observation.getLatencyMs(), failed, observation.getObservedAt()));
      while (window.size() > size) {
        window.removeFirst();
      }
    }
    circuitOpen.put(observation.getDeploymentId(), "OPEN".equals(observation.getCircuitState()));
  }

  @Override
  public Optional<DeploymentHealth> of(String deploymentId) {
    Deque<Call> window = windows.get(deploymentId);
    if (window == null) {
      return Optional.empty();
    }
    Call[] calls;
    synchronized (window) {
      Instant oldest = clock.instant().minus(horizon);
      window.removeIf(c -> c.at().isBefore(oldest));
      calls = window.toArray(new Call[0]);
    }
    if (calls.length == 0) {
      return Optional.empty();
    }
    long[] latencies =
        Arrays.stream(calls).filter(c -> !c.failed()).mapToLong(Call::latencyMs).sorted().toArray();
    long failures = Arrays.stream(calls).filter(Call::failed).count();
    return Optional.of(
        new DeploymentHealth(
            calls.length,
            percentile(latencies, 0.50),
            percentile(latencies, 0.95),
            failures / (double) calls.length,
            circuitOpen.getOrDefault(deploymentId, false)));
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Long.MAX_VALUE;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }
}
