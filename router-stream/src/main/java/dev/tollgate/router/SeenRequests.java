package dev.tollgate.router;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The requests one router task has taken, by team and request id, for as long as a request can
 * live: so that a record written again with the same id (a job's retry, or a copy replayed by
 * someone who can read the topic) is not served and billed twice, and a different request reusing
 * an id is refused. A record read again from the same offset (the router restarted before it
 * committed) is processed as before: its outputs may not have been written. Backed by a window
 * store whose retention drops old ids by itself.
 */
final class SeenRequests {

  /** What a request is, compared with what was taken before under its id. */
  enum Verdict {
    /** Never seen: serve it. */
    NEW,
    /** This very record again (same offset): serve it again, idempotently. */
    REPROCESSED,
    /** The same request in another record: already served, produce nothing. */
    REPLAYED,
    /** Another request under an id already used: refuse it. */
    CONFLICT
  }

  private final WindowStore<String, String> store;
  private final Duration retention;

  SeenRequests(WindowStore<String, String> store, Duration retention) {
    this.store = store;
    this.retention = retention;
  }

  /** How long ids are kept: the longest deadline and the reservation grace after it. */
  static Duration retention(Duration maxRequestTimeout) {
    return maxRequestTimeout.plus(RouteProcessor.RESERVATION_GRACE);
  }

  /**
   * Records that {@code team}'s request {@code requestId} with content {@code fingerprint} arrived
   * from {@code source} (topic, partition, offset) at {@code at}, and says what it is.
   */
  Verdict see(String team, String requestId, String fingerprint, String source, Instant at) {
    String key = team + "|" + requestId;
    String previous = null;
    try (WindowStoreIterator<String> seen =
        store.fetch(key, at.minus(retention), at.plus(retention))) {
      while (seen.hasNext()) {
        previous = seen.next().value;
      }
    }
    if (previous == null) {
      store.put(key, fingerprint + " " + source, at.toEpochMilli());
      return Verdict.NEW;
    }
    int space = previous.indexOf(' ');
    if (!previous.substring(0, space).equals(fingerprint)) {
      return Verdict.CONFLICT;
    }
    return previous.substring(space + 1).equals(source) ? Verdict.REPROCESSED : Verdict.REPLAYED;
  }
}
