package dev.tollgate.router;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.time.Duration;

/**
 * The router's settings ({@code router.*}, and the request deadline bound it shares with ingest).
 *
 * @param port the operations port (metrics, health; 0: any free port)
 * @param healthWindow how far back provider-health observations count (1 min)
 * @param healthSamples the fewest observations before a deployment's health is judged (20)
 * @param maxRequestTimeout the latest deadline a request may have, from now; later is brought
 *     forward ({@code ingest.max-request-timeout}, 10 min)
 * @param cacheMaxEntries the most cached replies a task keeps (100,000)
 * @param bulkDeferral how long a bulk request waits behind interactive ones at most (1 s)
 */
public record RouterConfig(
    int port,
    Duration healthWindow,
    int healthSamples,
    Duration maxRequestTimeout,
    int cacheMaxEntries,
    Duration bulkDeferral) {

  public RouterConfig {
    if (healthWindow.toMillis() < 1_000) {
      throw new ConfigException("router.health-window: must be at least 1s, got " + healthWindow);
    }
    if (healthSamples < 1) {
      throw new ConfigException("router.health-samples: must be at least 1, got " + healthSamples);
    }
    if (maxRequestTimeout.toMillis() < 1_000) {
      throw new ConfigException(
          "ingest.max-request-timeout: must be at least 1s, got " + maxRequestTimeout);
    }
    if (cacheMaxEntries < 0) {
      throw new ConfigException(
          "router.cache-max-entries: must not be negative, got " + cacheMaxEntries);
    }
    if (bulkDeferral.isNegative()) {
      throw new ConfigException("router.bulk-deferral: must not be negative, got " + bulkDeferral);
    }
  }

  public static RouterConfig from(Settings settings) {
    return new RouterConfig(
        settings.intValue("router.port", 0),
        settings.duration("router.health-window", Duration.ofMinutes(1)),
        settings.intValue("router.health-samples", 20),
        settings.duration("ingest.max-request-timeout", Duration.ofMinutes(10)),
        settings.intValue("router.cache-max-entries", 100_000),
        settings.duration("router.bulk-deferral", Duration.ofSeconds(1)));
  }
}
