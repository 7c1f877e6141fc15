package dev.tollgate.ingest.batch;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Batch and Files APIs' settings ({@code batch.*}).
 *
 * @param maxFileBytes the largest upload; larger is refused with 413 (200 MiB, OpenAI's limit)
 * @param maxFileLines the most lines an upload may have (50,000, OpenAI's limit)
 * @param maxLineBytes the largest line a batch runs; a larger one fails alone (512 KiB, so a line
 *     and its request always fit a Kafka record)
 * @param maxInFlight lines of one batch sent and not yet answered (256)
 * @param requestTimeout how long one line's request may take (10 min; never past the batch's
 *     expiry)
 * @param tick how often each batch sends more lines and publishes its counts (200 ms)
 * @param uploadDir where uploads are spooled before they go to Kafka
 */
public record BatchConfig(
    long maxFileBytes,
    int maxFileLines,
    int maxLineBytes,
    int maxInFlight,
    Duration requestTimeout,
    Duration tick,
    Path uploadDir) {

  public BatchConfig {
    if (maxLineBytes < 1024 || maxLineBytes > 768 * 1024) {
      throw new ConfigException(
          "batch.max-line-bytes: must be between 1024 and 786432 (a Kafka record), got "
              + maxLineBytes);
    }
    if (maxInFlight < 1) {
      throw new ConfigException("batch.max-in-flight: must be at least 1, got " + maxInFlight);
    }
    if (maxFileLines < 1 || maxFileBytes < 1) {
      throw new ConfigException("batch.max-file-lines and batch.max-file-bytes: must be positive");
    }
  }

  public static BatchConfig from(Settings settings) {
    return new BatchConfig(
        settings.longValue("batch.max-file-bytes", 200L * 1024 * 1024),
        settings.intValue("batch.max-file-lines", 50_000),
        settings.intValue("batch.max-line-bytes", 512 * 1024),
        settings.intValue("batch.max-in-flight", 256),
        settings.duration("batch.request-timeout", Duration.ofMinutes(10)),
        settings.duration("batch.tick", Duration.ofMillis(200)),
        Path.of(
            settings.string(
                "batch.upload-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "tollgate-uploads").toString())));
  }
}
