package dev.tollgate.platform.streams;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How one Streams service runs, read from {@code <service>.processing-guarantee}, {@code
 * <service>.commit-interval}, {@code <service>.threads}, {@code <service>.io-wait} and {@code
 * streams.state-dir}.
 *
 * @param ioWait how long the service's reads may wait for more data and its writes linger to batch
 *     (decision 0022); zero for a service on the interactive path
 * @param groupInstanceId this instance's static group membership ({@code kafka.group-instance-id}):
 *     a restart after a crash takes its tasks back at once instead of after the session timeout
 *     (decision 0032); must be unique per running instance, so off unless set
 */
public record StreamsOptions(
    String processingGuarantee,
    Duration commitInterval,
    int threads,
    Path stateDir,
    Duration ioWait,
    Optional<String> groupInstanceId) {

  /** The setting that turns static group membership on, with this instance's id. */
  public static final String GROUP_INSTANCE_ID = "kafka.group-instance-id";

  /** The default I/O wait of a service off the interactive path (decision 0022). */
  private static final Duration OFF_PATH_IO_WAIT = Duration.ofMillis(50);

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
    if (ioWait.isNegative()) {
      throw new ConfigException("io-wait: must not be negative, got " + ioWait);
    }
  }

  /**
   * The options of {@code service}, defaulting to {@code guarantee}, a commit interval that suits
   * it (exactly-once latency is bounded by the commit interval; see DESIGN.md) and no I/O wait.
   */
  public static StreamsOptions from(Settings settings, String service, String guarantee) {
    return from(settings, service, guarantee, Duration.ZERO);
  }

  /**
   * As {@link #from(Settings, String, String)}, for a service no interactive request waits for: its
   * I/O waits {@link #OFF_PATH_IO_WAIT} unless {@code <service>.io-wait} says otherwise.
   */
  public static StreamsOptions offInteractivePath(
      Settings settings, String service, String guarantee) {
    return from(settings, service, guarantee, OFF_PATH_IO_WAIT);
  }

  private static StreamsOptions from(
      Settings settings, String service, String guarantee, Duration defaultIoWait) {
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
                Path.of(System.getProperty("java.io.tmpdir"), "tollgate-streams").toString())),
        settings.duration(service + ".io-wait", defaultIoWait),
        settings.find(GROUP_INSTANCE_ID));
  }
}
