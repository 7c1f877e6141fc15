package dev.tollgate.platform.streams;

import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How one Streams service runs, read from {@code <service>.processing-guarantee}, {@code
 * <service>.commit-interval}, {@code <service>.threads} and {@code streams.state-dir}.
 */
public record StreamsOptions(
    String processingGuarantee, Duration commitInterval, int threads, Path stateDir) {

  private static final Set<String> GUARANTEES =
      Set.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);

  public StreamsOptions {
    if (!GUARANTEES.contains(processingGuarantee)) {
      throw new ConfigException(
          "processing-guarantee: must be one of "
              + GUARANTEES
              + ", got '"
              + processingGuarantee
              + "'");
    }
    if (threads < 1) {
      throw new ConfigException("threads: must be at least 1, got " + threads);
    }
  }

  /**
   * The options of {@code service}, defaulting to {@code guarantee} and a commit interval that
   * suits it (exactly-once latency is bounded by the commit interval; see DESIGN.md).
   */
  public static StreamsOptions from(Settings settings, String service, String guarantee) {
    String chosen = settings.string(service + ".processing-guarantee", guarantee);
    Duration defaultCommit =
        StreamsConfig.EXACTLY_ONCE_V2.equals(chosen)
            ? Duration.ofMillis(100)
            : Duration.ofSeconds(5);
    return new StreamsOptions(
        chosen,
        settings.duration(service + ".commit-interval", defaultCommit),
        settings.intValue(service + ".threads", 1),
        Path.of(
            settings.string(
                "streams.state-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "tollgate-streams").toString())));
  }
}
