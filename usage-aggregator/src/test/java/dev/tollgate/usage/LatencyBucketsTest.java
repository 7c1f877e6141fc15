package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void aLatencyFallsInTheFirstBucketThatHoldsIt() {
    for (long ms : new long[] {0, 1, 2, 3, 10, 99, 100, 101, 1_000, 61_234, 3_600_000}) {
      int i = LatencyBuckets.bucket(ms);
      assertThat(LatencyBuckets.upperBound(i)).isGreaterThanOrEqualTo(ms);
      if (i > 0) {
        assertThat(LatencyBuckets.upperBound(i - 1)).isLessThan(ms);
      }
    }
  }

  @Test
  void percentilesAreAtMostTenPercentHigh() {
    List<Long> counts = new ArrayList<>();
    for (long ms = 1; ms <= 1_000; ms++) {
      counts = LatencyBuckets.add(counts, ms);
    }
    assertThat(LatencyBuckets.percentile(counts, 0.5)).isBetween(500L, 550L);
    assertThat(LatencyBuckets.percentile(counts, 0.95)).isBetween(950L, 1_045L);
    assertThat(LatencyBuckets.percentile(List.of(), 0.5)).isZero();
  }
}
