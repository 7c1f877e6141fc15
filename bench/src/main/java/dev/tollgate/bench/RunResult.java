package dev.tollgate.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/** One measured run of a scenario. */
record RunResult(
    long requests,
    long errors,
    double seconds,
    double requestsPerSecond,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double coresBusy,
    double gcPausePercent,
    long peakHeapMib,
    Map<String, Double> notes) {

  static RunResult of(
      long requests, long errors, double seconds, Histogram latencyMicros, ProcessStats stats) {
    return new RunResult(
        requests,
        errors,
        seconds,
        requests / seconds,
        latencyMicros.getValueAtPercentile(50) / 1000.0,
        latencyMicros.getValueAtPercentile(90) / 1000.0,
        latencyMicros.getValueAtPercentile(99) / 1000.0,
        latencyMicros.getValueAtPercentile(99.9) / 1000.0,
        stats.coresBusy(),
        stats.gcPausePercent(),
        ProcessStats.peakHeapMib(),
        Map.of());
  }

  /** This result with scenario-specific measurements beside it (baselines, batch timings). */
  RunResult withNotes(Map<String, Double> more) {
    return new RunResult(
        requests,
        errors,
        seconds,
        requestsPerSecond,
        p50Ms,
        p90Ms,
        p99Ms,
        p999Ms,
        coresBusy,
        gcPausePercent,
        peakHeapMib,
        more);
  }
}
