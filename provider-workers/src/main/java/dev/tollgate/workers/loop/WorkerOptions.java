package dev.tollgate.workers.loop;

import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import java.time.Duration;

/**
 * How a worker runs ({@code workers.*}).
 *
 * @param maxInFlight calls in flight per worker before it stops fetching
 * @param callTimeout the longest one provider call may take (the request's deadline may cut it)
 * @param commitInterval how often finished offsets are committed
 * @param drainTimeout how long shutdown and rebalances wait for calls in flight
 */
public record WorkerOptions(
    int maxInFlight, Duration callTimeout, Duration commitInterval, Duration drainTimeout) {

  public WorkerOptions {
    if (maxInFlight < 1) {
      throw new ConfigException("workers.max-in-flight: must be at least 1, got " + maxInFlight);
    }
  }

  public static WorkerOptions from(Settings settings) {
    return new WorkerOptions(
        settings.intValue("workers.max-in-flight", 256),
        settings.duration("workers.call-timeout", Duration.ofSeconds(120)),
        settings.duration("workers.commit-interval", Duration.ofMillis(100)),
        settings.duration("workers.drain-timeout", Duration.ofSeconds(30)));
  }
}
