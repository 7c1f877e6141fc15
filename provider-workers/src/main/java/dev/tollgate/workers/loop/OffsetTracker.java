package dev.tollgate.workers.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records finish out of order: per partition, the offset of
 * the oldest record still in flight, or one past the last finished record when none is. Committing
 * only that far means a crash re-delivers every unfinished record and nothing else is lost. Used by
 * the worker's poll thread only.
 */
final class OffsetTracker {

  private static final class PartitionState {
    final TreeSet<Long> inFlight = new TreeSet<>();
    long nextAfterFinished = -1;
    long committed = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private int inFlight;

  void started(TopicPartition partition, long offset) {
    PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
    if (state.inFlight.add(offset)) {
      inFlight++;
    }
  }

  void finished(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state == null || !state.inFlight.remove(offset)) {
      return;
    }
    inFlight--;
    state.nextAfterFinished = Math.max(state.nextAfterFinished, offset + 1);
  }

  /** Offsets that moved since the last call, ready to commit. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    partitions.forEach(
        (partition, state) -> {
          long next = state.inFlight.isEmpty() ? state.nextAfterFinished : state.inFlight.first();
          if (next > state.committed) {
            state.committed = next;
            result.put(partition, new OffsetAndMetadata(next));
          }
        });
    return result;
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
