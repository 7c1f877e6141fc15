package dev.tollgate.workers.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsUpToTheOldestRecordInFlightAndNamesTheFinishedOnesBeyond() {
    tracker.assigned(p0, null);
    tracker.started(p0, 10);
    tracker.started(p0, 11);
    tracker.started(p0, 12);
    tracker.started(p0, 50); // offsets have gaps (transaction markers)

    tracker.finished(p0, 11);
    tracker.finished(p0, 50);
    assertThat(tracker.committable(p -> true)).containsEntry(p0, new OffsetAndMetadata(10, "1,14"));

    tracker.finished(p0, 10);
    tracker.finished(p0, 12);
    assertThat(tracker.committable(p -> true)).containsEntry(p0, new OffsetAndMetadata(51, ""));
    assertThat(tracker.committable(p -> true)).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void recordsFinishedBeforeACrashAreSkippedAndKeptInTheMetadata() {
    tracker.assigned(p0, new OffsetAndMetadata(10, "1,14"));

    assertThat(tracker.alreadyDone(p0, 10)).isFalse();
    tracker.started(p0, 10);
    assertThat(tracker.alreadyDone(p0, 11)).isTrue();
    tracker.started(p0, 12);
    assertThat(tracker.committable(p -> true)).as("nothing new to commit yet").isEmpty();

    tracker.finished(p0, 10);
    assertThat(tracker.committable(p -> true)).containsEntry(p0, new OffsetAndMetadata(12, "12"));
    tracker.finished(p0, 12);
    assertThat(tracker.alreadyDone(p0, 50)).isTrue();
    assertThat(tracker.committable(p -> true)).containsEntry(p0, new OffsetAndMetadata(51, ""));
  }

  @Test
  void partitionsAreIndependentAndForgettable() {
    tracker.assigned(p0, null);
    tracker.assigned(p1, new OffsetAndMetadata(5));
    tracker.started(p0, 0);
    tracker.started(p1, 5);
    tracker.finished(p1, 5);

    assertThat(tracker.committable(p -> true))
        .containsEntry(p0, new OffsetAndMetadata(0, ""))
        .containsEntry(p1, new OffsetAndMetadata(6, ""));
    assertThat(tracker.hasInFlight(p0)).isTrue();

    tracker.forget(List.of(p0));
    assertThat(tracker.inFlight()).isZero();
    tracker.finished(p0, 0);
    assertThat(tracker.committable(p -> true)).isEmpty();
  }

  @Test
  void aLaneTakesOnlyItsOwnPartitionsOffsetsAndLeavesTheRestForItsOwnTransaction() {
    TopicPartition bulk = new TopicPartition("t-bulk", 0);
    tracker.assigned(p0, null);
    tracker.assigned(bulk, null);
    tracker.started(p0, 3);
    tracker.started(bulk, 7);
    tracker.finished(p0, 3);
    tracker.finished(bulk, 7);

    assertThat(tracker.committable(p -> !p.equals(bulk)))
        .containsOnlyKeys(p0)
        .containsEntry(p0, new OffsetAndMetadata(4, ""));
    assertThat(tracker.committable(bulk::equals))
        .containsOnlyKeys(bulk)
        .containsEntry(bulk, new OffsetAndMetadata(8, ""));
  }
}
