package dev.tollgate.workers.resilience;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.time.Duration;

/**
 * How each deployment is protected ({@code workers.retry.*}, {@code workers.circuit.*}, {@code
 * workers.bulkhead.*}).
 *
 * @param maxAttempts calls per deployment, the first included (3)
 * @param initialBackoff the wait before the first retry, doubled each time, with ±50% jitter (200
 *     ms)
 * @param maxBackoff the longest wait between two calls, unless the provider asks for longer with
 *     Retry-After (10 s)
 * @param failureRatePercent the failure rate over the window that opens the circuit (50)
 * @param window the number of recent calls the failure rate is computed over (20)
 * @param minimumCalls calls needed in the window before the circuit may open (10)
 * @param openFor how long an open circuit refuses calls before it lets a few through (10 s)
 * @param maxConcurrent calls in flight to one deployment from one worker (256)
 */
public record ResilienceSettings(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int failureRatePercent,
    int window,
    int minimumCalls,
    Duration openFor,
    int maxConcurrent) {

  public ResilienceSettings {
    if (maxAttempts < 1) {
      throw new ConfigException(
          "workers.retry.max-attempts: must be at least 1, got " + maxAttempts);
    }
    if (failureRatePercent < 1 || failureRatePercent > 100) {
      throw new ConfigException(
          "workers.circuit.failure-rate: must be 1 to 100, got " + failureRatePercent);
    }
    if (window < 1 || minimumCalls < 1 || maxConcurrent < 1) {
      throw new ConfigException(
          "workers.circuit.window, minimum-calls and workers.bulkhead.max-concurrent must be positive");
    }
  }

  public static ResilienceSettings from(Settings s) {
    return new ResilienceSettings(
        s.intValue("workers.retry.max-attempts", 3),
        s.duration("workers.retry.initial-backoff", Duration.ofMillis(200)),
        s.duration("workers.retry.max-backoff", Duration.ofSeconds(10)),
        s.intValue("workers.circuit.failure-rate", 50),
        s.intValue("workers.circuit.window", 20),
        s.intValue("workers.circuit.minimum-calls", 10),
        s.duration("workers.circuit.open-for", Duration.ofSeconds(10)),
        s.intValue("workers.bulkhead.max-concurrent", 256));
  }
}
