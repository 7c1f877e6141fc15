package dev.tollgate.bench;

import java.time.Duration;

/** A bounded load against part of Tollgate, run several times on one set-up. */
interface Scenario extends AutoCloseable {

  /** Sends {@code count} requests (at {@code ratePerSecond}, or as fast as possible when 0). */
  RunResult run(int count, int ratePerSecond, Duration limit);

  /**
   * The warm-up is over: what the runs measure from here on is kept (see {@link BatchScenario}).
   */
  default void warmedUp() {}
}
