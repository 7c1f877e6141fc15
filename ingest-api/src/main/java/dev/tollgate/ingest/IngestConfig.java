package dev.tollgate.ingest;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.formats.InlineData;
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
 * @param maxWaiting the most requests this instance waits on replies for; past it, 429 (10,000)
 * @param maxUnsent the most requests queued for Kafka and not yet acknowledged; past it, 503
 *     (1,000)
 * @param kafkaTimeout how long a request may wait for Kafka to take it before it answers 503 (5 s)
 * @param maxImageBytes the most one inline image, audio or file of a request may decode to (20
 *     MiB); the body as a whole stays within {@code maxBodyBytes}
 */
public record IngestConfig(
    int port,
    int maxBodyBytes,
    Duration defaultTimeout,
    Duration maxTimeout,
    String instanceId,
    int authFailuresPerMinute,
    int maxWaiting,
    int maxUnsent,
    Duration kafkaTimeout,
    long maxImageBytes) {

  public IngestConfig {
    if (maxImageBytes < 1) {
      throw new ConfigException("ingest.max-image-bytes: must be positive, got " + maxImageBytes);
    }
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
    if (maxWaiting < 1 || maxUnsent < 1) {
      throw new ConfigException("ingest.max-waiting and ingest.max-unsent: must be at least 1");
    }
    if (kafkaTimeout.toMillis() < 1_000) {
      throw new ConfigException("ingest.kafka-timeout: must be at least 1s, got " + kafkaTimeout);
    }
  }

  public static IngestConfig from(Settings settings) {
    String host = settings.environment("HOSTNAME").orElse("local").toLowerCase(Locale.ROOT);
    return new IngestConfig(
        settings.intValue("ingest.port", 8080),
        settings.intValue("ingest.max-body-bytes", 1024 * 1024),
        settings.duration("ingest.request-timeout", Duration.ofSeconds(60)),
        settings.duration("ingest.max-request-timeout", Duration.ofMinutes(10)),
        settings.string("ingest.instance-id", host.replaceAll("[^a-z0-9._-]", "-")),
        settings.intValue("ingest.auth-failures-per-minute", 30),
        settings.intValue("ingest.max-waiting", 10_000),
        settings.intValue("ingest.max-unsent", 1_000),
        settings.duration("ingest.kafka-timeout", Duration.ofSeconds(5)),
        settings.longValue("ingest.max-image-bytes", InlineData.DEFAULT_MAX_BYTES));
  }
}
