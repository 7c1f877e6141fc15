package dev.tollgate.workers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration LOTS = Duration.ofMinutes(5);

  @Test
  void doublesWithJitterUpToTheCap() {
    Backoff noJitter = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
    assertThat(noJitter.before(1, Duration.ZERO, LOTS)).isEqualTo(Duration.ofMillis(100));
    assertThat(noJitter.before(2, Duration.ZERO, LOTS)).isEqualTo(Duration.ofMillis(200));
    assertThat(noJitter.before(3, Duration.ZERO, LOTS)).isEqualTo(Duration.ofMillis(400));
    assertThat(noJitter.before(10, Duration.ZERO, LOTS)).isEqualTo(Duration.ofSeconds(1));

    assertThat(
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0)
                .before(1, Duration.ZERO, LOTS))
        .isEqualTo(Duration.ofMillis(50));
    assertThat(
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999)
                .before(1, Duration.ZERO, LOTS))
        .isEqualTo(Duration.ofMillis(149));
  }

  @Test
  void honoursRetryAfterButNeverWaitsPastTheDeadline() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
    assertThat(backoff.before(1, Duration.ofSeconds(3), LOTS)).isEqualTo(Duration.ofSeconds(3));
    assertThat(backoff.before(1, Duration.ofSeconds(3), Duration.ofMillis(700)))
        .isEqualTo(Duration.ofMillis(700));
    assertThat(backoff.before(1, Duration.ZERO, Duration.ofMillis(-5))).isEqualTo(Duration.ZERO);
  }
}
