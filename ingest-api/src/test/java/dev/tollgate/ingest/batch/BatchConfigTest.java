package dev.tollgate.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

  @Test
  void aSmallMostInFlightAlsoLowersTheLeastByDefault() {
    BatchConfig config = BatchConfig.from(Settings.empty().with("batch.max-in-flight", "4"));

    assertThat(config.minInFlight()).isEqualTo(4);
    assertThat(config.maxInFlight()).isEqualTo(4);
  }

  @Test
  void aLeastAboveTheMostIsAConfigurationError() {
    Settings settings =
        Settings.empty().with("batch.max-in-flight", "4").with("batch.min-in-flight", "8");

    assertThatThrownBy(() -> BatchConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got 8 and 4");
  }

  @Test
  void anUnknownPacingIsAConfigurationError() {
    assertThatThrownBy(() -> BatchConfig.from(Settings.empty().with("batch.pacing", "greedy")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.pacing");
  }
}
