package dev.tollgate.ingest.batch;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.nio.file.Path;

/**
 * The Files API's upload limits ({@code batch.*}; the batch runner reads its own).
 *
 * @param maxFileBytes the largest upload; larger is refused with 413 (200 MiB, OpenAI's limit)
 * @param maxFileLines the most lines an upload may have (50,000, OpenAI's limit)
 * @param maxLineBytes the largest line a batch runs; a larger one fails alone (512 KiB, so a line
 *     and its request always fit a Kafka record)
 * @param uploadDir where uploads are spooled before they go to Kafka
 */
public record FilesConfig(long maxFileBytes, int maxFileLines, int maxLineBytes, Path uploadDir) {

  public FilesConfig {
    if (maxLineBytes < 1024 || maxLineBytes > 768 * 1024) {
      throw new ConfigException(
          "batch.max-line-bytes: must be between 1024 and 786432 (a Kafka record), got "
              + maxLineBytes);
    }
    if (maxFileLines < 1 || maxFileBytes < 1) {
      throw new ConfigException("batch.max-file-lines and batch.max-file-bytes: must be positive");
    }
  }

  public static FilesConfig from(Settings settings) {
    return new FilesConfig(
        settings.longValue("batch.max-file-bytes", 200L * 1024 * 1024),
        settings.intValue("batch.max-file-lines", 50_000),
        settings.intValue("batch.max-line-bytes", 512 * 1024),
        Path.of(
            settings.string(
                "batch.upload-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "tollgate-uploads").toString())));
  }
}
