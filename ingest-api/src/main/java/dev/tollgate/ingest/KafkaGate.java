package dev.tollgate.ingest;

import dev.tollgate.platform.http.Health;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What stands between an HTTP request and the producer: at most {@code maxUnsent} requests queued
 * and not yet acknowledged by Kafka (past that, 503 with Retry-After at once, so a broker outage
 * never piles requests up in memory), and what Kafka last said (the last send failed: {@code
 * /health} reports it until a send succeeds). Sends never block an event loop: the producer's
 * {@code max.block.ms} is short and its {@code delivery.timeout.ms} bounds how long a queued
 * request waits for the broker.
 */
final class KafkaGate {

  private record Failure(Instant since, String message) {}

  private final int maxUnsent;
  private final Clock clock;
  private final AtomicInteger unsent = new AtomicInteger();
  private final AtomicReference<Failure> failing = new AtomicReference<>();

  KafkaGate(int maxUnsent, Clock clock) {
    this.maxUnsent = maxUnsent;
    this.clock = clock;
  }

  /**
   * Takes a place for one send; false when {@code maxUnsent} are already waiting on Kafka, or while
   * Kafka is known to be down (the last send failed and no probe has found it back since).
   */
  boolean enter() {
    if (failing.get() != null) {
      return false;
    }
    if (unsent.incrementAndGet() > maxUnsent) {
      unsent.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The send that {@link #enter()} let through has ended, with {@code error} or without. */
  void left(Exception error) {
    unsent.decrementAndGet();
    if (error == null) {
      failing.set(null);
    } else {
      failing.compareAndSet(null, new Failure(clock.instant(), error.getMessage()));
    }
  }

  /** Whether Kafka is known to be down: then {@link #probe} should be asked again. */
  boolean isFailing() {
    return failing.get() != null;
  }

  /** The cluster answered a probe: requests may try again. */
  void probe(boolean answered) {
    if (answered) {
      failing.set(null);
    }
  }

  int unsent() {
    return unsent.get();
  }

  /** Not ready while the last sends failed. */
  Health health() {
    return () -> {
      Failure f = failing.get();
      return f == null
          ? List.of()
          : List.of("kafka not accepting requests since " + f.since() + ": " + f.message());
    };
  }
}
