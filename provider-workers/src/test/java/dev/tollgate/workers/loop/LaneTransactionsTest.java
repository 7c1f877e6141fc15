package dev.tollgate.workers.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.Topics;
import dev.tollgate.workers.call.Outgoing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTransactionsTest {

  private static final TopicPartition INTERACTIVE = new TopicPartition("llm-openai", 0);
  private static final TopicPartition BULK = new TopicPartition("llm-openai-bulk", 0);
  private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("workers");

  /** A producer whose commits wait for {@link #release()}. */
  private static final class HeldProducer extends MockProducer<String, SpecificRecord> {
    private final Semaphore commits = new Semaphore(0);

    HeldProducer() {
      super(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    @Override
    public void commitTransaction() {
      commits.acquireUninterruptibly();
      super.commitTransaction();
    }

    void release() {
      commits.release();
    }
  }

  private final HeldProducer interactiveProducer = new HeldProducer();
  private final HeldProducer bulkProducer = new HeldProducer();
  private final Semaphore wakes = new Semaphore(0);
  private final OffsetTracker tracker = new OffsetTracker();
  private LaneTransactions transactions;

  private LaneTransactions transactions(Duration interval, Duration bulkInterval) {
    tracker.assigned(INTERACTIVE, null);
    tracker.assigned(BULK, null);
    transactions =
        new LaneTransactions(
            "llm-openai",
            interactiveProducer,
            bulkProducer,
            BULK::equals,
            interval,
            bulkInterval,
            wakes::release,
            System::nanoTime);
    transactions.init();
    return transactions;
  }

  private void finish(TopicPartition partition, long offset) {
    tracker.started(partition, offset);
    transactions.add(
        new LaneTransactions.Finished(
            partition,
            offset,
            List.of(Outgoing.to(Topics.replyTopic("replies"), "r" + offset, null))));
  }

  private boolean woken() throws InterruptedException {
    return wakes.tryAcquire(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() {
    interactiveProducer.release();
    bulkProducer.release();
    transactions.close(true);
  }

  @Test
  void afterAQuietSpellAReplyGoesOutAtOnceAndThenAtMostOncePerInterval() throws Exception {
    transactions(Duration.ofHours(1), Duration.ofHours(1));
    assertThat(transactions.nanosUntilDue()).isEqualTo(Long.MAX_VALUE);

    finish(INTERACTIVE, 0);
    assertThat(transactions.nanosUntilDue()).isZero();
    transactions.commitIfDue(false, tracker, GROUP);
    interactiveProducer.release();
    assertThat(woken()).isTrue();
    assertThat(interactiveProducer.commitCount()).isEqualTo(1);
    assertThat(interactiveProducer.history()).hasSize(1);

    finish(INTERACTIVE, 1);
    transactions.commitIfDue(false, tracker, GROUP);
    assertThat(transactions.nanosUntilDue())
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofHours(1).toNanos());
    assertThat(interactiveProducer.history()).hasSize(1);
  }

  @Test
  void aLaneWaitsForItsOwnCommitOnlyAndItsEndWakesTheLoop() throws Exception {
    transactions(Duration.ZERO, Duration.ZERO);
    finish(BULK, 0);
    transactions.commitIfDue(false, tracker, GROUP);

    finish(BULK, 1);
    finish(INTERACTIVE, 0);
    assertThat(transactions.nanosUntilDue()).as("the interactive lane is free").isZero();
    transactions.commitIfDue(false, tracker, GROUP);
    interactiveProducer.release();
    assertThat(woken()).isTrue();
    assertThat(interactiveProducer.commitCount()).isEqualTo(1);
    assertThat(bulkProducer.commitCount()).isZero();
    assertThat(transactions.nanosUntilDue())
        .as("the bulk lane's record waits for its commit's end")
        .isEqualTo(Long.MAX_VALUE);

    bulkProducer.release();
    assertThat(woken()).isTrue();
    assertThat(transactions.nanosUntilDue()).isZero();
    transactions.commitIfDue(false, tracker, GROUP);
    bulkProducer.release();
    assertThat(woken()).isTrue();
    assertThat(bulkProducer.commitCount()).isEqualTo(2);
  }

  @Test
  void theBulkLaneCommitsOnItsOwnLongerInterval() throws Exception {
    transactions(Duration.ZERO, Duration.ofHours(1));
    finish(BULK, 0);
    finish(INTERACTIVE, 0);
    transactions.commitIfDue(false, tracker, GROUP);
    bulkProducer.release();
    interactiveProducer.release();
    assertThat(woken()).isTrue();
    assertThat(woken()).isTrue();

    finish(BULK, 1);
    finish(INTERACTIVE, 1);
    transactions.commitIfDue(false, tracker, GROUP);
    interactiveProducer.release();
    assertThat(woken()).isTrue();
    assertThat(interactiveProducer.commitCount()).isEqualTo(2);
    assertThat(bulkProducer.commitCount()).isEqualTo(1);
    assertThat(transactions.nanosUntilDue())
        .as("only the bulk lane's record waits, for its interval")
        .isGreaterThan(Duration.ofMinutes(59).toNanos());
  }
}
