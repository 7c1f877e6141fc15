package dev.tollgate.usage;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The usage aggregator's settings ({@code usage.*}).
 *
 * @param port the usage API's port (0: any free port)
 * @param advertisedHost the host other instances reach this one's API at (default {@code
 *     http.host})
 * @param standbyReplicas warm copies of other instances' tables kept here (1)
 * @param dedupRetention how long a call id is remembered, so a replayed event counts once (7 days)
 * @param grace how long after a day or month ends its rows still take late events (1 h)
 * @param publishInterval how often changed rows are published to their topics (1 s)
 * @param alertWebhook where budget alerts are posted, if anywhere
 */
public record UsageConfig(
    int port,
    String advertisedHost,
    int standbyReplicas,
    Duration dedupRetention,
    Duration grace,
    Duration publishInterval,
    Optional<URI> alertWebhook) {

  public UsageConfig {
    if (standbyReplicas < 0) {
      throw new ConfigException(
          "usage.standby-replicas: must not be negative, got " + standbyReplicas);
    }
    if (dedupRetention.toMinutes() < 1) {
      throw new ConfigException(
          "usage.dedup-retention: must be at least 1m, got " + dedupRetention);
    }
    if (grace.isNegative()) {
      throw new ConfigException("usage.grace: must not be negative, got " + grace);
    }
    if (publishInterval.toMillis() < 1) {
      throw new ConfigException(
          "usage.publish-interval: must be at least 1ms, got " + publishInterval);
    }
  }

  /** The settings, with {@code httpHost} as the advertised host unless one is set. */
  public static UsageConfig from(Settings settings, String httpHost) {
    Optional<URI> webhook;
    try {
      webhook = settings.find("usage.alert-webhook-url").map(URI::create);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("usage.alert-webhook-url: not a URL: " + e.getMessage());
    }
    return new UsageConfig(
        settings.intValue("usage.port", 0),
        settings.string("usage.advertised-host", httpHost),
        settings.intValue("usage.standby-replicas", 1),
        settings.duration("usage.dedup-retention", Duration.ofDays(7)),
        settings.duration("usage.grace", Duration.ofHours(1)),
        settings.duration("usage.publish-interval", Duration.ofSeconds(1)),
        webhook);
  }
}
