package dev.tollgate.ingest;

import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import java.time.Duration;
import java.util.Locale;

/**
 * The ingest API's settings ({@code ingest.*}).
 *
 * @param port the HTTP port (8080)
 * @param maxBodyBytes the largest request body accepted; larger gets 413 (1 MiB)
 * @param defaultTimeout how long a request may take end to end unless the client asks for less or
 *     more with {@code X-Tollgate-Timeout-Ms} (60 s)
 * @param maxTimeout the most a client may ask for (10 min)
 * @param instanceId names this instance's reply topic; unique per running instance (the {@code
 *     HOSTNAME} environment variable, else {@code local})
 * @param authFailuresPerMinute failed authentications one source address may make per minute before
 *     its requests get 429 (30)
 */
public record IngestConfig(
    int port,
    int maxBodyBytes,
    Duration defaultTimeout,
    Duration maxTimeout,
    String instanceId,
    int authFailuresPerMinute) {

  public IngestConfig {
    if (maxBodyBytes < 1024) {
      throw new ConfigException(
          "ingest.max-body-bytes: must be at least 1024, got " + maxBodyBytes);
    }
    if (!instanceId.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new ConfigException(
          "ingest.instance-id: must be lowercase letters, digits, '.', '_' or '-', got '"
              + instanceId
              + "'");
    }
  }

  public static IngestConfig from(Settings settings) {
    String host = System.getenv().getOrDefault("HOSTNAME", "local").toLowerCase(Locale.ROOT);
    return new IngestConfig(
        settings.intValue("ingest.port", 8080),
        settings.intValue("ingest.max-body-bytes", 1024 * 1024),
        settings.duration("ingest.request-timeout", Duration.ofSeconds(60)),
        settings.duration("ingest.max-request-timeout", Duration.ofMinutes(10)),
        settings.string("ingest.instance-id", host.replaceAll("[^a-z0-9._-]", "-")),
        settings.intValue("ingest.auth-failures-per-minute", 30));
  }
}
