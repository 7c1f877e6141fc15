package dev.tollgate.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;

/**
 * CPU time, garbage-collection pauses and peak heap of this process, the one a scenario runs the
 * gateway in; the CPU time includes live child processes (the broker, with {@code local.broker:
 * process}), the heap does not. A child that exits during a run (the broker {@code chaos-broker}
 * kills) takes its CPU time with it, so that scenario under-reports CPU.
 */
final class ProcessStats {

  private final long cpuNanosAtStart = cpuNanos();
  private final long gcPauseMillisAtStart = gcPauseMillis();
  private final long wallNanosAtStart = System.nanoTime();

  ProcessStats() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** Average cores busy since construction (CPU time / wall time). */
  double coresBusy() {
    return (cpuNanos() - cpuNanosAtStart) / (double) (System.nanoTime() - wallNanosAtStart);
  }

  /**
   * The share of wall time since construction this JVM spent in stop-the-world collections, in
   * percent: in one JVM every component (broker, router, worker, mock) stops together.
   */
  double gcPausePercent() {
    return 100.0
        * (gcPauseMillis() - gcPauseMillisAtStart)
        * 1_000_000
        / (System.nanoTime() - wallNanosAtStart);
  }

  /** The sum of the heap pools' peaks since construction, in MiB. */
  static long peakHeapMib() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024 * 1024);
  }

  /** Collection time of the pausing collectors (G1's concurrent cycles run beside the program). */
  private static long gcPauseMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Concurrent")) {
        millis += Math.max(0, gc.getCollectionTime());
      }
    }
    return millis;
  }

  private static long cpuNanos() {
    long own =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    return own
        + ProcessHandle.current()
            .descendants()
            .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
            .sum();
  }
}
