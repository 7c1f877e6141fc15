package dev.tollgate.workers.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other threads hand a worker loop (a finished call's outputs, a commit's end), and the
 * consumer wakeup that ends the loop's poll early so it sees them at once. Events run on the loop's
 * thread; {@link #post} and {@link #wake} may be called from any thread.
 */
final class Inbox {

  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
  private static final Duration COMMITTED_WAIT = Duration.ofSeconds(10);

  private final Consumer<?, ?> consumer;
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();

  Inbox(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  /** Queues {@code event} for the loop's thread and wakes it. */
  void post(Runnable event) {
    events.add(event);
    wake();
  }

  /** Ends the loop's current (or next) poll early; one wakeup until the events are next run. */
  void wake() {
    if (wakeupPending.compareAndSet(false, true)) {
      consumer.wakeup();
    }
  }

  /** Runs the events queued so far. */
  void runQueued() {
    wakeupPending.set(false);
    List<Runnable> ready = new ArrayList<>();
    events.drainTo(ready);
    ready.forEach(Runnable::run);
  }

  /** Runs the next event, waiting up to {@code waitMillis} for one. */
  void runNext(long waitMillis) throws InterruptedException {
    Runnable event = events.poll(waitMillis, TimeUnit.MILLISECONDS);
    if (event != null) {
      event.run();
    }
  }

  /**
   * Runs a consumer call that a wakeup must not cut short (inside a rebalance listener, where it
   * would abandon the assignment half done): retried until it returns, and the wakeup passed on to
   * the poll afterwards.
   */
  /**
   * The committed offsets of {@code partitions}, asking again while they are not stable (until
   * {@code closing}): after a crash, the dead instance's open transaction can hold them unstable
   * for longer than one request's timeout (seen after a kill -9 of the whole stack); giving up
   * would stop the worker.
   */
  Map<TopicPartition, OffsetAndMetadata> committed(
      Set<TopicPartition> partitions, BooleanSupplier closing) {
    while (true) {
      try {
        return withoutWakeups(() -> consumer.committed(partitions, COMMITTED_WAIT));
      } catch (TimeoutException e) {
        if (closing.getAsBoolean()) {
          throw e;
        }
        LOG.warn("committed offsets of {} not stable yet; asking again", partitions);
      }
    }
  }

  <T> T withoutWakeups(Supplier<T> call) {
    boolean woken = false;
    try {
      while (true) {
        try {
          return call.get();
        } catch (WakeupException e) {
          woken = true;
        }
      }
    } finally {
      if (woken) {
        consumer.wakeup();
      }
    }
  }
}
