package dev.tollgate.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.ProviderHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HealthWindowsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void readsPercentilesAndErrorRateOverTheRecentWindow() {
    HealthWindows windows =
        new HealthWindows(10, Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 1; i <= 8; i++) {
      windows.observe(call("d", AttemptOutcome.SUCCESS, i * 10, NOW.minusSeconds(5)));
    }
    windows.observe(call("d", AttemptOutcome.RETRYABLE_ERROR, 5, NOW.minusSeconds(5)));
    windows.observe(call("d", AttemptOutcome.TIMEOUT, 5000, NOW.minusSeconds(5)));

    DeploymentHealth h = windows.of("d").orElseThrow();
    assertThat(h.samples()).isEqualTo(10);
    assertThat(h.p50Ms()).isEqualTo(40);
    assertThat(h.p95Ms()).isEqualTo(80);
    assertThat(h.errorRate()).isEqualTo(0.2);
    assertThat(windows.of("unknown")).isEmpty();
  }

  @Test
  void forgetsWhatIsOlderThanTheHorizonAndKeepsAtMostTheWindowSize() {
    HealthWindows windows =
        new HealthWindows(3, Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC));
    windows.observe(call("d", AttemptOutcome.RETRYABLE_ERROR, 1, NOW.minusSeconds(120)));
    assertThat(windows.of("d")).isEmpty();

    for (int i = 0; i < 5; i++) {
      windows.observe(call("d", AttemptOutcome.SUCCESS, 100 + i, NOW));
    }
    assertThat(windows.of("d").orElseThrow().samples()).isEqualTo(3);
    windows.observe(
        ProviderHealth.newBuilder(call("d", AttemptOutcome.SUCCESS, 1, NOW))
            .setCircuitState("OPEN")
            .build());
    assertThat(windows.of("d").orElseThrow().circuitOpen()).isTrue();
  }

  private static ProviderHealth call(
      String deployment, AttemptOutcome outcome, long latencyMs, Instant at) {
    return ProviderHealth.newBuilder()
        .setDeploymentId(deployment)
        .setProvider("p")
        .setProviderModel("m")
        .setOutcome(outcome)
        .setLatencyMs(latencyMs)
        .setObservedAt(at)
        .build();
  }
}
