package dev.tollgate.workers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitPacerTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private final RateLimitPacer pacer = new RateLimitPacer();

  @Test
  void plentyLeftMeansNoWait() {
    pacer.observe(
        Map.of(
                "x-ratelimit-limit-requests",
                "500",
                "x-ratelimit-remaining-requests",
                "499",
                "x-ratelimit-reset-requests",
                "120ms")
            ::get,
        NOW);

    assertThat(pacer.delay(NOW)).isZero();
  }

  @Test
  void theLastTenthOfAWindowIsSpreadEvenly() {
    pacer.observe(
        Map.of(
                "x-ratelimit-limit-requests",
                "100",
                "x-ratelimit-remaining-requests",
                "4",
                "x-ratelimit-reset-requests",
                "1s")
            ::get,
        NOW);

    assertThat(pacer.delay(NOW)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void nothingLeftWaitsForTheResetOfWhicheverLimitIsSpent() {
    pacer.observe(
        Map.of(
                "x-ratelimit-remaining-requests",
                "10",
                "x-ratelimit-reset-requests",
                "1s",
                "x-ratelimit-remaining-tokens",
                "0",
                "x-ratelimit-reset-tokens",
                "6m0s")
            ::get,
        NOW);

    assertThat(pacer.delay(NOW)).isEqualTo(Duration.ofMinutes(6));
    assertThat(pacer.delay(NOW.plusSeconds(360))).isZero();
  }

  @Test
  void readsAnthropicHeaders() {
    pacer.observe(
        Map.of(
                "anthropic-ratelimit-requests-limit",
                "50",
                "anthropic-ratelimit-requests-remaining",
                "0",
                "anthropic-ratelimit-requests-reset",
                "2026-11-22T10:00:03Z")
            ::get,
        NOW);

    assertThat(pacer.delay(NOW)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void garbageIsIgnored() {
    pacer.observe(
        Map.of("x-ratelimit-remaining-requests", "lots", "x-ratelimit-reset-requests", "soon")::get,
        NOW);

    assertThat(pacer.delay(NOW)).isZero();
  }
}
