package dev.tollgate.workers.resilience;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One {@link DeploymentGuard} per deployment, made on first use and kept; one retry scheduler. */
public final class DeploymentGuards implements AutoCloseable {

  private final ResilienceSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, DeploymentGuard> guards = new ConcurrentHashMap<>();

  public DeploymentGuards(ResilienceSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "worker-retries");
              thread.setDaemon(true);
              return thread;
            });
  }

  public DeploymentGuard of(String deploymentId) {
    return guards.computeIfAbsent(
        deploymentId, id -> new DeploymentGuard(id, settings, scheduler, clock));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
