package dev.tollgate.core.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a thread wait until a view that another thread updates (from a followed topic) shows what it
 * waits for: the updater signals after each change, the waiter asks its condition again then. No
 * sleep-polling, and no wake-up is missed.
 */
public final class ChangeSignal {

  private final Object monitor = new Object();

  /** Called by the updating thread after each change (or batch of changes). */
  public void changed() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /**
   * Waits until {@code condition} holds, asking again after each change; false when it does not
   * hold within {@code timeout}.
   */
  public boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a change", e);
        }
      }
    }
    return true;
  }
}
