package dev.tollgate.ingest.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many lines each running batch of a task may have unanswered.
 *
 * <p>With {@code batch.pacing: fixed}, {@link BatchConfig#maxInFlight()}. With {@code adaptive}
 * (the default), a window per batch that grows while the batch's lines come back about as fast as
 * they have lately and shrinks when they slow down: from here, that is what the gateway queueing
 * (for CPU, at the broker, behind interactive calls in a worker's bulk lane) or a provider slowing
 * looks like. A batch so takes the capacity interactive traffic leaves and gives it back when that
 * traffic needs it; delay-based, like LEDBAT (RFC 6817) for background transfers.
 *
 * <p>At each tick with answers, the median round trip of the lines answered since the last tick is
 * compared with the batch's base, the lowest such median of the last minute. Within {@link
 * BatchConfig#pacingTolerancePercent()} of the base the window grows by an eighth (at least a
 * line), up to {@link BatchConfig#maxInFlight()}; beyond it, it shrinks by a quarter, down to
 * {@link BatchConfig#minInFlight()}. The state is in memory: after a restart or a rebalance a batch
 * starts again from the smallest window.
 */
final class BatchPacer {

  private static final long BASE_MEMORY_MS = 60_000;
  private static final int MIN_SAMPLES = 3;

  /** One batch's window and what it learned of its round trips. */
  private static final class Window {
    private double size;
    private final List<Long> roundTrips = new ArrayList<>();

    /** {at, median} of recent ticks, oldest first. */
    private final Deque<long[]> medians = new ArrayDeque<>();

    Window(int size) {
      this.size = size;
    }
  }

  private final BatchConfig config;
  private final Map<String, Long> sentAt = new HashMap<>();
  private final Map<String, Window> windows = new HashMap<>();

  BatchPacer(BatchConfig config) {
    this.config = config;
  }

  /** The most lines {@code batchId} may have unanswered now, after learning from its answers. */
  int window(String batchId, long now) {
    if (!config.adaptivePacing()) {
      return config.maxInFlight();
    }
    Window window = windows.computeIfAbsent(batchId, id -> new Window(config.minInFlight()));
    if (window.roundTrips.size() >= MIN_SAMPLES) {
      adjust(window, median(window.roundTrips), now);
      window.roundTrips.clear();
    }
    return (int) window.size;
  }

  /** The line {@code requestId} was sent at {@code now}. */
  void sent(String requestId, long now) {
    if (config.adaptivePacing()) {
      sentAt.put(requestId, now);
    }
  }

  /** The line {@code requestId} of {@code batchId} was answered at {@code now}. */
  void answered(String batchId, String requestId, long now) {
    Long sent = sentAt.remove(requestId);
    Window window = windows.get(batchId);
    if (sent != null && window != null) {
      window.roundTrips.add(now - sent);
    }
  }

  /** The batch finished: forgets its window and its lines' send times. */
  void forget(String batchId) {
    windows.remove(batchId);
    String lines = BatchProcessor.linePrefix(batchId);
    sentAt.keySet().removeIf(requestId -> requestId.startsWith(lines));
  }

  private void adjust(Window window, long median, long now) {
    while (!window.medians.isEmpty() && window.medians.peekFirst()[0] < now - BASE_MEMORY_MS) {
      window.medians.removeFirst();
    }
    window.medians.addLast(new long[] {now, median});
    long base = window.medians.stream().mapToLong(m -> m[1]).min().orElse(median);
    if (median * 100 <= base * (100L + config.pacingTolerancePercent())) {
      window.size = Math.min(config.maxInFlight(), window.size + Math.max(1, window.size / 8));
    } else {
      window.size = Math.max(config.minInFlight(), window.size * 3 / 4);
    }
  }

  private static long median(List<Long> values) {
    Collections.sort(values);
    return values.get(values.size() / 2);
  }
}
