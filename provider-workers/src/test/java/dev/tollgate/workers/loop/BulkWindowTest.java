package dev.tollgate.workers.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkWindowTest {

  private static final long MS = 1_000_000L;

  private final BulkWindow window = new BulkWindow(64, Duration.ofMillis(10), 0);

  @Test
  void startsAtTheCeilingAndStaysThereWhileInteractiveRequestsArriveAsUsual() {
    for (long t = 0; t < 2_000; t += 20) {
      window.interactiveDelay(5 + t % 7, t * MS);
    }
    assertThat(window.limit(2_000 * MS)).isEqualTo(64);
  }

  @Test
  void halvesWhenAnInteractiveRequestArrivesLaterThanItsFloorPlusTheYieldDelay() {
    window.interactiveDelay(5, 0);
    window.interactiveDelay(16, 1 * MS);
    assertThat(window.limit(1 * MS)).isEqualTo(32);
  }

  @Test
  void halvesAtMostOncePerGapAndNeverBelowOne() {
    window.interactiveDelay(5, 0);
    for (int i = 1; i <= 5; i++) {
      window.interactiveDelay(100, i * MS);
    }
    assertThat(window.limit(5 * MS)).isEqualTo(32);
    for (long t = 100; t <= 1_000; t += 100) {
      window.interactiveDelay(100, t * MS);
      assertThat(window.limit(t * MS)).isPositive();
    }
    assertThat(window.limit(1_000 * MS)).isEqualTo(1);
  }

  @Test
  void growsBackByOneCallPerStepWithoutSlowSamples() {
    window.interactiveDelay(5, 0);
    window.interactiveDelay(50, 1 * MS);
    assertThat(window.limit(1 * MS)).isEqualTo(32);
    long tenSteps = 10 * BulkWindow.GROWTH_STEP.toNanos();
    assertThat(window.limit(1 * MS + tenSteps)).isEqualTo(42);
    assertThat(window.limit(1 * MS + 4 * tenSteps)).isEqualTo(64);
  }

  @Test
  void aSteadyOffsetBetweenClocksIsNotASlowdown() {
    for (long t = 0; t < 1_000; t += 10) {
      window.interactiveDelay(-3_000 + t % 4, t * MS);
    }
    assertThat(window.limit(1_000 * MS)).isEqualTo(64);
  }

  @Test
  void theFloorForgetsDelaysOlderThanTwoPeriods() {
    window.interactiveDelay(1, 0);
    window.interactiveDelay(30, 10_001 * MS);
    assertThat(window.limit(10_001 * MS)).as("the 1 ms floor still counts").isEqualTo(32);
    window.interactiveDelay(30, 20_002 * MS);
    int before = window.limit(20_300 * MS);
    window.interactiveDelay(35, 20_300 * MS);
    assertThat(window.limit(20_300 * MS)).as("the floor is 30 ms now").isEqualTo(before);
  }
}
