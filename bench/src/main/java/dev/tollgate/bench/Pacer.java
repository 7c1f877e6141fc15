package dev.tollgate.bench;

import java.util.concurrent.locks.LockSupport;

/** Spaces sends evenly at a target rate (open loop); a rate of 0 means no spacing at all. */
final class Pacer {

  private final long intervalNanos;
  private long next = System.nanoTime();

  Pacer(int ratePerSecond) {
    this.intervalNanos = ratePerSecond <= 0 ? 0 : 1_000_000_000L / ratePerSecond;
  }

  void awaitNext() {
    if (intervalNanos == 0) {
      return;
    }
    next += intervalNanos;
    long wait;
    while ((wait = next - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
