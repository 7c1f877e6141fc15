package dev.tollgate.workers.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records finish out of order. Per partition the committed
 * offset is that of the oldest record still in flight (or one past the last finished one), so a
 * crash re-delivers every unfinished record. Records finished beyond that point travel in the
 * commit's metadata (their distances from it, base 36, comma separated), so that after a crash or a
 * rebalance they are skipped instead of being answered, and billed, twice. Used by the worker's
 * poll thread only.
 */
final class OffsetTracker {

  /** Kafka's default {@code offset.metadata.max.bytes}. */
  static final int MAX_METADATA = 4096;

  private static final class PartitionState {
    final TreeSet<Long> inFlight = new TreeSet<>();
    final TreeSet<Long> finished = new TreeSet<>();
    final TreeSet<Long> skip = new TreeSet<>();
    long maxSeen = -1;
    long committed = -1;
    String committedMetadata = "";
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private int inFlight;

  /** Takes over a partition at its committed position; metadata names records already done. */
  void assigned(TopicPartition partition, OffsetAndMetadata committed) {
    PartitionState state = new PartitionState();
    if (committed != null) {
      state.committed = committed.offset();
      state.committedMetadata = committed.metadata() == null ? "" : committed.metadata();
      for (String distance : state.committedMetadata.split(",")) {
        if (!distance.isBlank()) {
          state.skip.add(committed.offset() + Long.parseLong(distance, 36));
        }
      }
    }
    partitions.put(partition, state);
  }

  /**
   * Whether the record at {@code offset} was finished before this worker owned the partition; if so
   * it counts as seen and done.
   */
  boolean alreadyDone(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state == null || !state.skip.contains(offset)) {
      return false;
    }
    state.maxSeen = Math.max(state.maxSeen, offset);
    return true;
  }

  void started(TopicPartition partition, long offset) {
    PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
    if (state.inFlight.add(offset)) {
      inFlight++;
    }
    state.maxSeen = Math.max(state.maxSeen, offset);
  }

  void finished(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state == null || !state.inFlight.remove(offset)) {
      return;
    }
    inFlight--;
    state.finished.add(offset);
  }

  /**
   * Offsets of the partitions {@code which} accepts that changed since the last call. The offset is
   * the oldest record in flight, or one past the newest seen (offsets have gaps: transaction
   * markers, compaction); its metadata lists the records done beyond it.
   */
  Map<TopicPartition, OffsetAndMetadata> committable(Predicate<TopicPartition> which) {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    partitions.forEach(
        (partition, state) -> {
          if (!which.test(partition)) {
            return;
          }
          long next =
              state.inFlight.isEmpty()
                  ? Math.max(state.committed, state.maxSeen + 1)
                  : state.inFlight.first();
          if (next < 0) {
            return;
          }
          state.finished.headSet(next).clear();
          state.skip.headSet(next).clear();
          String metadata = metadata(next, state);
          if (next != state.committed || !metadata.equals(state.committedMetadata)) {
            state.committed = next;
            state.committedMetadata = metadata;
            result.put(partition, new OffsetAndMetadata(next, metadata));
          }
        });
    return result;
  }

  private static String metadata(long next, PartitionState state) {
    TreeSet<Long> done = new TreeSet<>(state.finished);
    done.addAll(state.skip);
    StringBuilder out = new StringBuilder();
    for (long offset : done) {
      String distance = Long.toString(offset - next, 36);
      if (out.length() + distance.length() + 1 > MAX_METADATA) {
        break; // The rest may be answered twice after a crash: bounded by calls in flight.
      }
      out.append(out.length() == 0 ? "" : ",").append(distance);
    }
    return out.toString();
  }

  /** Forgets partitions this worker no longer owns. */
  void forget(Collection<TopicPartition> revoked) {
    for (TopicPartition partition : revoked) {
      PartitionState state = partitions.remove(partition);
      if (state != null) {
        inFlight -= state.inFlight.size();
      }
    }
  }

  boolean hasInFlight(TopicPartition partition) {
    PartitionState state = partitions.get(partition);
    return state != null && !state.inFlight.isEmpty();
  }

  int inFlight() {
    return inFlight;
  }
}
