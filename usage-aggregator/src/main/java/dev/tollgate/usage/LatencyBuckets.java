package dev.tollgate.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * Latencies as counts in buckets that grow by 10%: bucket {@code i} holds latencies up to {@code
 * ceil(1.1^i)} ms, so a percentile read from them is at most 10% high. 200 buckets reach past 24
 * hours; a row holds only as many as its slowest call needs.
 */
final class LatencyBuckets {

  static final double GROWTH = 1.1;
  private static final int MAX_BUCKETS = 200;

  private LatencyBuckets() {}

  /** The bucket a latency of {@code ms} falls in. */
  static int bucket(long ms) {
    if (ms <= 1) {
      return 0;
    }
    int i = (int) Math.ceil(Math.log(ms) / Math.log(GROWTH));
    while (i > 0 && upperBound(i - 1) >= ms) {
      i--;
    }
    while (upperBound(i) < ms) {
      i++;
    }
    return Math.min(i, MAX_BUCKETS - 1);
  }

  /** The largest latency bucket {@code i} holds, in ms. */
  static long upperBound(int i) {
    return (long) Math.ceil(Math.pow(GROWTH, i));
  }

  /** {@code counts} with one more call of {@code ms}. */
  static List<Long> add(List<Long> counts, long ms) {
    int i = bucket(ms);
    List<Long> out = new ArrayList<>(counts);
    while (out.size() <= i) {
      out.add(0L);
    }
    out.set(i, out.get(i) + 1);
    return out;
  }

  /** The latency at {@code quantile} (0.5 for p50), as its bucket's upper bound; 0 if none. */
  static long percentile(List<Long> counts, double quantile) {
    long total = counts.stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.size(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(counts.size() - 1);
  }
}
