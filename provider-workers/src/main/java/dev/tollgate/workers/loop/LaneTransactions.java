package dev.tollgate.workers.loop;

import dev.tollgate.workers.call.Outgoing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * A worker loop's transactions, one transactional producer per lane (decision 0024). A finished
 * interactive record goes out with the interactive topic's offsets, a bulk record with the bulk
 * lane's, each lane on its own {@link Committer} thread, so an interactive reply never waits for a
 * transaction full of bulk replies to commit. A lane starts a transaction as soon as it has
 * finished records, its previous commit is done and the previous transaction started at least its
 * interval ago: after a quiet spell a reply goes out at once, under load each lane commits at most
 * once per interval (the bulk lane's is longer: fewer, larger transactions). {@link
 * #nanosUntilDue()} tells the loop how long it may block in a poll; a commit's end wakes it through
 * {@code wake}. Used from the loop's thread only.
 */
final class LaneTransactions {

  /** A finished record and what it produces. */
  record Finished(TopicPartition partition, long offset, List<Outgoing> out) {}

  /** One lane: its committer and the finished records waiting for its next transaction. */
  private static final class Lane {
    private final Committer committer;
    private final Predicate<TopicPartition> owns;
    private final long intervalNanos;
    private final List<Finished> pending = new ArrayList<>();
    private long lastStartNanos;

    private Lane(
        Committer committer, Predicate<TopicPartition> owns, Duration interval, long nowNanos) {
      this.committer = committer;
      this.owns = owns;
      this.intervalNanos = interval.toNanos();
      this.lastStartNanos = nowNanos - intervalNanos;
    }
  }

  private final LongSupplier nanoTime;
  private final Lane interactive;
  private final Lane bulk;

  LaneTransactions(
      String topic,
      Producer<String, SpecificRecord> interactiveProducer,
      Producer<String, SpecificRecord> bulkProducer,
      Predicate<TopicPartition> isBulk,
      Duration interval,
      Duration bulkInterval,
      Runnable wake,
      LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.interactive =
        new Lane(
            new Committer(interactiveProducer, "commit-" + topic, wake),
            isBulk.negate(),
            interval,
            nanoTime.getAsLong());
    this.bulk =
        new Lane(
            new Committer(bulkProducer, "commit-" + topic + "-bulk", wake),
            isBulk,
            bulkInterval,
            nanoTime.getAsLong());
  }

  /** Initialises both transactional producers (fencing any predecessors). */
  void init() {
    interactive.committer.init();
    bulk.committer.init();
  }

  /** Queues {@code done} for its lane's next transaction. */
  void add(Finished done) {
    (bulk.owns.test(done.partition()) ? bulk : interactive).pending.add(done);
  }

  /** Drops what finished on {@code partitions} and is not committed (the partitions were lost). */
  void forget(Collection<TopicPartition> partitions) {
    interactive.pending.removeIf(f -> partitions.contains(f.partition()));
    bulk.pending.removeIf(f -> partitions.contains(f.partition()));
  }

  /**
   * Starts each lane's next transaction if it is due: its finished records' outputs and the offsets
   * they free. {@code now} commits both lanes and waits for them (rebalance, shutdown).
   */
  void commitIfDue(boolean now, OffsetTracker tracker, ConsumerGroupMetadata group) {
    commitIfDue(interactive, now, tracker, group);
    commitIfDue(bulk, now, tracker, group);
    if (now) {
      interactive.committer.await();
      bulk.committer.await();
    }
  }

  private void commitIfDue(
      Lane lane, boolean now, OffsetTracker tracker, ConsumerGroupMetadata group) {
    if (!now && nanosUntilDue(lane) > 0) {
      return;
    }
    lane.committer.await();
    if (lane.pending.isEmpty()) {
      return;
    }
    lane.lastStartNanos = nanoTime.getAsLong();
    List<Outgoing> outputs = new ArrayList<>();
    for (Finished done : lane.pending) {
      outputs.addAll(done.out());
      tracker.finished(done.partition(), done.offset());
    }
    lane.pending.clear();
    lane.committer.submit(outputs, tracker.committable(lane.owns), group);
  }

  /**
   * How long until a lane may start its next transaction: zero if one may now, {@link
   * Long#MAX_VALUE} if no lane has finished records or the ones that have are still committing
   * (their end wakes the loop).
   */
  long nanosUntilDue() {
    return Math.min(nanosUntilDue(interactive), nanosUntilDue(bulk));
  }

  private long nanosUntilDue(Lane lane) {
    if (lane.pending.isEmpty() || lane.committer.busy()) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, lane.lastStartNanos + lane.intervalNanos - nanoTime.getAsLong());
  }

  /** The failure of either lane's last transaction, once done; null while fine or running. */
  RuntimeException failure() {
    RuntimeException failed = interactive.committer.failure();
    return failed != null ? failed : bulk.committer.failure();
  }

  /** Stops both; a crash abandons the open transactions, a clean close lets them finish. */
  void close(boolean crash) {
    interactive.committer.close(crash);
    bulk.committer.close(crash);
  }
}
