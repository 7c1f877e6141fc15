package dev.tollgate.workers.loop;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * When a worker fetches and calls from which lane. Fetching pauses while one more poll could take
 * the calls in flight over {@link WorkerOptions#maxInFlight()} (a poll returns at most {@link
 * WorkerOptions#pollBatch()} records), and resumes at half of it. The bulk lane holds at most
 * {@link WorkerOptions#bulkMaxInFlight()} calls, fewer while interactive requests arrive later than
 * usual ({@link BulkWindow}): bulk records fetched beyond that are held, in order, until a bulk
 * call returns; and it is fetched only while nothing is held and interactive calls hold less than
 * half of {@code maxInFlight}. Otherwise its partitions stay paused and its records wait on the
 * broker, never in front of interactive ones.
 */
final class Lanes {

  private final String bulkTopic;
  private final WorkerOptions options;
  private final BulkWindow window;
  private final Deque<ConsumerRecord<String, byte[]>> held = new ArrayDeque<>();
  private final LongSupplier nanoTime;
  private boolean paused;
  private boolean bulkPaused;

  /**
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  Lanes(String bulkTopic, WorkerOptions options, LongSupplier nanoTime) {
    this.bulkTopic = bulkTopic;
    this.options = options;
    this.nanoTime = nanoTime;
    this.window =
        options.bulkYieldDelay().isZero()
            ? null
            : new BulkWindow(
                options.bulkMaxInFlight(), options.bulkYieldDelay(), nanoTime.getAsLong());
  }

  /** {@code record} is being started at {@code nowMillis}: an interactive one steers the window. */
  void arrived(ConsumerRecord<String, byte[]> record, long nowMillis) {
    if (window != null && !isBulk(partitionOf(record))) {
      window.interactiveDelay(nowMillis - record.timestamp(), nanoTime.getAsLong());
    }
  }

  boolean isBulk(TopicPartition partition) {
    return partition.topic().equals(bulkTopic);
  }

  static TopicPartition partitionOf(ConsumerRecord<String, byte[]> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** Whether to call for {@code record} now; if not, it is held until the bulk lane has room. */
  boolean admit(ConsumerRecord<String, byte[]> record, Map<TopicPartition, Integer> callsInFlight) {
    if (isBulk(partitionOf(record)) && (!held.isEmpty() || bulkFull(callsInFlight))) {
      held.add(record);
      return false;
    }
    return true;
  }

  /** The next held bulk record to call for, if the lane has room now; else null. */
  ConsumerRecord<String, byte[]> release(Map<TopicPartition, Integer> callsInFlight) {
    return held.isEmpty() || bulkFull(callsInFlight) ? null : held.poll();
  }

  /** Drops the held records of partitions given up (they are fetched again by their new owner). */
  void forget(Collection<TopicPartition> partitions) {
    held.removeIf(r -> partitions.contains(partitionOf(r)));
  }

  /**
   * Takes the provider calls started and not yet back, per partition (records waiting for their
   * commit do not count); true if a lane's pause state changed.
   */
  boolean update(Map<TopicPartition, Integer> callsInFlight) {
    int bulkCalls = bulkCalls(callsInFlight);
    int interactiveCalls = total(callsInFlight) - bulkCalls;
    int calls = interactiveCalls + bulkCalls;
    boolean wasPaused = paused;
    boolean wasBulkPaused = bulkPaused;
    if (!paused && calls + options.pollBatch() > options.maxInFlight()) {
      paused = true;
    } else if (paused && calls <= options.maxInFlight() / 2) {
      paused = false;
    }
    bulkPaused =
        paused
            || !held.isEmpty()
            || bulkCalls >= bulkLimit()
            || interactiveCalls >= options.maxInFlight() / 2;
    return paused != wasPaused || bulkPaused != wasBulkPaused;
  }

  private boolean bulkFull(Map<TopicPartition, Integer> callsInFlight) {
    return bulkCalls(callsInFlight) >= bulkLimit();
  }

  private int bulkLimit() {
    return window == null ? options.bulkMaxInFlight() : window.limit(nanoTime.getAsLong());
  }

  private int bulkCalls(Map<TopicPartition, Integer> callsInFlight) {
    int calls = 0;
    for (Map.Entry<TopicPartition, Integer> entry : callsInFlight.entrySet()) {
      if (isBulk(entry.getKey())) {
        calls += entry.getValue();
      }
    }
    return calls;
  }

  private static int total(Map<TopicPartition, Integer> callsInFlight) {
    return callsInFlight.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Whether {@code partition}'s lane is paused now. */
  boolean paused(TopicPartition partition) {
    return isBulk(partition) ? bulkPaused : paused;
  }
}
