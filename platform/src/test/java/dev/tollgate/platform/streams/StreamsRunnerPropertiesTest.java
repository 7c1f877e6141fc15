package dev.tollgate.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsRunnerPropertiesTest {

  private static final Settings SETTINGS =
      Settings.empty().with("kafka.bootstrap-servers", "unused:9092");
  private static final String LINGER = StreamsConfig.producerPrefix("linger.ms");
  private static final String FETCH_WAIT = StreamsConfig.consumerPrefix("fetch.max.wait.ms");
  private static final String FETCH_BYTES = StreamsConfig.consumerPrefix("fetch.min.bytes");

  @Test
  void aServiceOnTheInteractivePathNeitherLingersNorWaitsForData() {
    Properties p = properties(StreamsOptions.from(SETTINGS, "router", "at_least_once"));

    assertThat(p.get(LINGER)).isEqualTo(1);
    assertThat(p).doesNotContainKeys(FETCH_WAIT, FETCH_BYTES);
  }

  @Test
  void aServiceOffThePathBatchesItsReadsAndWrites() {
    Properties p =
        properties(StreamsOptions.offInteractivePath(SETTINGS, "usage", "exactly_once_v2"));

    assertThat(p.get(LINGER)).isEqualTo(50L);
    assertThat(p.get(FETCH_WAIT)).isEqualTo(50);
    assertThat(p.get(FETCH_BYTES)).isEqualTo(64 * 1024);
  }

  @Test
  void theWaitIsASettingAndZeroTurnsItOff() {
    Properties p =
        properties(
            StreamsOptions.offInteractivePath(
                SETTINGS.with("usage.io-wait", "0ms"), "usage", "exactly_once_v2"));

    assertThat(p.get(LINGER)).isEqualTo(1);
    assertThat(p).doesNotContainKeys(FETCH_WAIT, FETCH_BYTES);
    assertThatThrownBy(
            () ->
                StreamsOptions.offInteractivePath(
                    SETTINGS.with("usage.io-wait", "-5ms"), "usage", "exactly_once_v2"))
        .isInstanceOf(ConfigException.class);
  }

  private static Properties properties(StreamsOptions options) {
    return StreamsRunner.properties("app", KafkaSettings.from(SETTINGS), options);
  }
}
