package dev.tollgate.platform.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Streams app does when one of its threads dies (decision 0027). An error the broker
 * returned (an {@link ApiException} anywhere in the cause chain: a transaction the broker lost in a
 * restart, a timeout) is an outage, not a bug: the thread is replaced, its open transaction aborted
 * and its tasks resumed from their last commit, at most {@link #MAX_REPLACEMENTS} times per {@link
 * #WINDOW}. Anything else, or more replacements than that, shuts the client down so the service
 * turns unhealthy and its supervisor restarts it.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

  static final int MAX_REPLACEMENTS = 3;
  static final Duration WINDOW = Duration.ofMinutes(10);

  private final String applicationId;
  private final LongSupplier nanoTime;
  private final Deque<Long> replacements = new ArrayDeque<>();

  ThreadFailures(String applicationId, LongSupplier nanoTime) {
    this.applicationId = applicationId;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
    long now = nanoTime.getAsLong();
    while (!replacements.isEmpty() && now - replacements.peekFirst() >= WINDOW.toNanos()) {
      replacements.pollFirst();
    }
    if (fromBroker(failure) && replacements.size() < MAX_REPLACEMENTS) {
      replacements.addLast(now);
      LOG.warn("{}: stream thread failed on a broker error; replacing it", applicationId, failure);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    LOG.error("{}: stream thread failed; shutting the client down", applicationId, failure);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private static boolean fromBroker(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApiException) {
        return true;
      }
    }
    return false;
  }
}
