package dev.tollgate.batch;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.time.Duration;

/**
 * The batch runner's settings ({@code batch.*}; the upload limits are ingest's).
 *
 * @param maxInFlight lines of one batch sent and not yet answered (256)
 * @param requestTimeout how long one line's request may take (10 min; never past the batch's
 *     expiry)
 * @param tick how often each batch sends more lines and publishes its counts (200 ms)
 * @param port the HTTP port of {@code /metrics} and {@code /health} (0: any free one)
 */
public record BatchRunnerConfig(int maxInFlight, Duration requestTimeout, Duration tick, int port) {

  public BatchRunnerConfig {
    if (maxInFlight < 1) {
      throw new ConfigException("batch.max-in-flight: must be at least 1, got " + maxInFlight);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new ConfigException("batch.request-timeout: must be positive, got " + requestTimeout);
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new ConfigException("batch.tick: must be positive, got " + tick);
    }
  }

  public static BatchRunnerConfig from(Settings settings) {
    return new BatchRunnerConfig(
        settings.intValue("batch.max-in-flight", 256),
        settings.duration("batch.request-timeout", Duration.ofMinutes(10)),
        settings.duration("batch.tick", Duration.ofMillis(200)),
        settings.intValue("batch.port", 0));
  }
}
