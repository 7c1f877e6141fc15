package dev.tollgate.workers.loop;

import java.time.Duration;

/**
 * How many bulk calls a worker may have in flight now, between one and {@link
 * WorkerOptions#bulkMaxInFlight()}, steered by how long interactive requests took to reach the
 * worker (from their produce timestamp to the poll that returned them). That delay is the shared
 * path's queueing: broker, router, and every process on the same cores. While it stays within
 * {@code bulkYieldDelay} of its recent floor the window grows by one call every {@link
 * #GROWTH_STEP}; a sample above halves it, at most once per {@link #DECREASE_GAP}. Without
 * interactive traffic there are no samples and the window grows to its ceiling.
 *
 * <p>The floor is the smallest delay seen in the last one or two {@link #FLOOR_PERIOD}s, so a
 * constant clock offset between hosts cancels out.
 */
final class BulkWindow {

  static final Duration GROWTH_STEP = Duration.ofMillis(50);
  static final Duration DECREASE_GAP = Duration.ofMillis(100);
  static final Duration FLOOR_PERIOD = Duration.ofSeconds(10);

  private final int ceiling;
  private final long yieldMillis;
  private int window;
  private long lastGrowthNanos;
  private long lastDecreaseNanos;
  private long floorPeriodStartNanos;
  private long floorMillis = Long.MAX_VALUE;
  private long previousFloorMillis = Long.MAX_VALUE;

  BulkWindow(int ceiling, Duration bulkYieldDelay, long nowNanos) {
    this.ceiling = ceiling;
    this.yieldMillis = bulkYieldDelay.toMillis();
    this.window = ceiling;
    this.lastGrowthNanos = nowNanos;
    this.lastDecreaseNanos = nowNanos - DECREASE_GAP.toNanos();
    this.floorPeriodStartNanos = nowNanos;
  }

  /** An interactive request reached the worker {@code delayMillis} after it was produced. */
  void interactiveDelay(long delayMillis, long nowNanos) {
    if (nowNanos - floorPeriodStartNanos >= FLOOR_PERIOD.toNanos()) {
      previousFloorMillis = floorMillis;
      floorMillis = Long.MAX_VALUE;
      floorPeriodStartNanos = nowNanos;
    }
    floorMillis = Math.min(floorMillis, delayMillis);
    long floor = Math.min(floorMillis, previousFloorMillis);
    if (delayMillis > floor + yieldMillis
        && nowNanos - lastDecreaseNanos >= DECREASE_GAP.toNanos()) {
      window = Math.max(1, window / 2);
      lastDecreaseNanos = nowNanos;
      lastGrowthNanos = nowNanos;
    }
  }

  /** The bulk calls allowed in flight now. */
  int limit(long nowNanos) {
    long steps = (nowNanos - lastGrowthNanos) / GROWTH_STEP.toNanos();
    if (steps > 0) {
      window = (int) Math.min(ceiling, window + steps);
      lastGrowthNanos += steps * GROWTH_STEP.toNanos();
    }
    return window;
  }
}
