package dev.tollgate.workers.loop;

import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.platform.deadletter.DeadLetters;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.workers.adapter.HttpCall;
import dev.tollgate.workers.adapter.ProviderAdapter;
import dev.tollgate.workers.adapter.ProviderResult;
import dev.tollgate.workers.call.CallRunner;
import dev.tollgate.workers.call.Outcomes;
import dev.tollgate.workers.call.Outgoing;
import dev.tollgate.workers.call.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's consumer loop, over its interactive topic and its bulk lane. A single thread owns
 * the consumer, the offset tracker and the batching of output; a {@link Committer} thread per lane
 * owns that lane's transactional producer ({@link LaneTransactions}); provider calls run
 * asynchronously, and what a finished call must produce comes back to the loop's thread as an
 * event, so no Kafka client is used from two threads.
 *
 * <p>As soon as a lane's previous commit is done, and at most once per {@code
 * workers.transaction-interval}, its finished records go out in one Kafka transaction: their
 * replies, usage events, fallbacks, dead letters and health observations, together with the
 * consumer offsets (the oldest record still in flight, plus the finished ones beyond it in the
 * offset metadata). A crash before the commit aborts all of it and the records are processed again;
 * a crash after it finds them done. So no reply is lost or sent twice.
 *
 * <p>The loop consumes the provider's interactive topic and its bulk lane (batches, async
 * requests); {@link Lanes} decides when each is fetched.
 */
public final class WorkerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
  private static final Duration MAX_POLL = Duration.ofMillis(100);

  private final String topic;
  private final String bulkTopic;
  private final Lanes lanes;
  private final Consumer<String, byte[]> consumer;
  private final Inbox inbox;
  private final LaneTransactions transactions;
  private final Deserializer<RoutedRequest> decoder;
  private final ProviderAdapter adapter;
  private final CallRunner calls;
  private final Outcomes outcomes;
  private final TopicProbe replyTopics;
  private final WorkerOptions options;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<TopicPartition, Integer> outstanding = new HashMap<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean crashing = new AtomicBoolean();
  private volatile Exception failure;

  public WorkerLoop(
      String topic,
      String bulkTopic,
      Consumer<String, byte[]> consumer,
      Producer<String, SpecificRecord> producer,
      Producer<String, SpecificRecord> bulkProducer,
      Deserializer<RoutedRequest> decoder,
      ProviderAdapter adapter,
      CallRunner calls,
      Outcomes outcomes,
      TopicProbe replyTopics,
      WorkerOptions options,
      Clock clock,
      WorkerMetrics metrics) {
    this.topic = topic;
    this.bulkTopic = bulkTopic;
    this.lanes = new Lanes(bulkTopic, options, System::nanoTime);
    this.consumer = consumer;
    this.inbox = new Inbox(consumer);
    this.transactions =
        new LaneTransactions(
            topic,
            producer,
            bulkProducer,
            lanes::isBulk,
            options.transactionInterval(),
            options.bulkTransactionInterval(),
            inbox::wake,
            System::nanoTime);
    this.decoder = decoder;
    this.adapter = adapter;
    this.calls = calls;
    this.outcomes = outcomes;
    this.replyTopics = replyTopics;
    this.options = options;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    try {
      transactions.init();
      consumer.subscribe(List.of(topic, bulkTopic), new Rebalance());
      while (!closing.get() && failure == null) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
            if (lanes.admit(record, outstanding)) {
              start(record);
            }
          }
        } catch (WakeupException e) {
          // An event arrived or stop() was called: handled below.
        }
        inbox.runQueued();
        ConsumerRecord<String, byte[]> held;
        while ((held = lanes.release(outstanding)) != null) {
          start(held);
        }
        commitIfDue(false);
        applyBackpressure();
        if (failure == null) {
          failure = transactions.failure();
        }
      }
      if (!crashing.get()) {
        drain(null);
        commitIfDue(true);
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("worker for {} stopped", topic, e);
    } finally {
      transactions.close(crashing.get());
      consumer.close(crashing.get() ? Duration.ZERO : Duration.ofSeconds(10));
    }
  }

  /** Asks the loop to finish its calls in flight, commit, and stop. */
  public void stop() {
    closing.set(true);
    consumer.wakeup();
  }

  /**
   * Stops at once as a crash would: nothing in flight is finished and the open transaction is never
   * committed. For tests of what survives a crash.
   */
  public void crash() {
    crashing.set(true);
    stop();
  }

  public boolean isHealthy() {
    return failure == null;
  }

  private void start(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = Lanes.partitionOf(record);
    if (tracker.alreadyDone(partition, record.offset())) {
      return;
    }
    tracker.started(partition, record.offset());
    lanes.arrived(record, clock.millis());
    DeadLetters.Source source =
        new DeadLetters.Source(record.topic(), record.partition(), record.offset());
    RoutedRequest routed;
    try {
      routed = decoder.deserialize(record.topic(), record.headers(), record.value());
      if (routed == null || routed.getStep() < 0 || routed.getStep() >= routed.getPlan().size()) {
        throw new SerializationException("no deployment at the plan's current step");
      }
    } catch (SerializationException e) {
      metrics.poison();
      finish(
          partition,
          record.offset(),
          List.of(outcomes.poison(record, source, e.getMessage(), clock.instant())));
      return;
    }
    LlmRequest request = routed.getRequest();
    Instant now = clock.instant();
    Optional<String> unwritable = replyTopics.problem(outcomes.replyTopic(request));
    if (unwritable.isPresent()) {
      // No provider is called for a request whose answer could not be delivered.
      finish(
          partition,
          record.offset(),
          outcomes.unanswerable(
              request,
              "reply topic unusable: " + unwritable.get(),
              routed.getAttempts(),
              source,
              now));
      return;
    }
    if (!request.getDeadlineAt().isAfter(now)) {
      finish(
          partition,
          record.offset(),
          terminal(
              routed,
              504,
              "timeout_error",
              "deadline_exceeded",
              "the request's deadline passed before a provider was called",
              source,
              now));
      return;
    }
    DeploymentRef deployment = Outcomes.current(routed);
    HttpCall call;
    try {
      call = adapter.prepare(request, deployment);
    } catch (IllegalArgumentException e) {
      finish(
          partition,
          record.offset(),
          terminal(routed, 400, "invalid_request_error", null, e.getMessage(), source, now));
      return;
    }
    outstanding.merge(partition, 1, Integer::sum);
    calls
        .run(call, routed, deployment)
        .thenApply(result -> outcome(routed, result, source))
        .whenComplete(
            (out, e) -> {
              if (e != null) {
                failure = new IllegalStateException("a finished call could not be recorded", e);
                LOG.error("worker for {} stopping", topic, e);
                inbox.wake();
              } else {
                inbox.post(
                    () -> {
                      outstanding.merge(partition, -1, Integer::sum);
                      finish(
                          partition,
                          record.offset(),
                          outcomes.undeliverable(
                              out, replyTopics::problem, source, clock.instant()));
                    });
              }
            });
  }

  private List<Outgoing> outcome(
      RoutedRequest routed, CallRunner.CallResult call, DeadLetters.Source source) {
    if (call.result() instanceof ProviderResult.Success success) {
      return outcomes.success(routed, success, call);
    }
    ProviderResult.Failure failed = (ProviderResult.Failure) call.result();
    metrics.failedOver(Outcomes.current(routed), Outcomes.fallsBack(routed, failed));
    return outcomes.failure(routed, failed, call, source, clock.instant());
  }

  private List<Outgoing> terminal(
      RoutedRequest routed,
      int status,
      String type,
      String code,
      String message,
      DeadLetters.Source source,
      Instant now) {
    return outcomes.terminal(
        routed.getRequest(),
        Replies.errorOf(status, type, code, message, null),
        routed.getAttempts(),
        source,
        now);
  }

  /** Queues what a finished record produces for the next transaction. */
  private void finish(TopicPartition partition, long offset, List<Outgoing> out) {
    if (tracker.hasInFlight(partition)) {
      transactions.add(new LaneTransactions.Finished(partition, offset, out));
    }
  }

  /**
   * Sends each lane's finished records' outputs and the offsets they free in one transaction of
   * that lane, on its committer's thread. While one commits, finished records gather for the next;
   * {@code now} waits for the commits (rebalance, shutdown). A failed transaction stops the worker
   * without committing: the records are processed again after a restart, and the aborted outputs
   * are never seen by read-committed consumers.
   */
  private void commitIfDue(boolean now) {
    if (failure != null || crashing.get()) {
      return;
    }
    transactions.commitIfDue(now, tracker, consumer.groupMetadata());
  }

  /** How long a poll may block: until a lane's next transaction is due, at most 100 ms. */
  private Duration pollTimeout() {
    return Duration.ofNanos(Math.min(MAX_POLL.toNanos(), transactions.nanosUntilDue()));
  }

  /** Runs events until nothing (or nothing of {@code partitions}) is in flight, or time is up. */
  private void drain(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    while (failure == null && System.nanoTime() < deadline && waiting(partitions)) {
      try {
        inbox.runNext(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Whether calls (of {@code partitions}, when given) have not all come back yet. */
  private boolean waiting(Collection<TopicPartition> partitions) {
    return partitions == null
        ? outstanding.values().stream().anyMatch(n -> n > 0)
        : partitions.stream().anyMatch(p -> outstanding.getOrDefault(p, 0) > 0);
  }

  /** Pauses or resumes the lanes as the calls in flight say (see {@link Lanes}). */
  private void applyBackpressure() {
    if (lanes.update(outstanding)) {
      applyPauses(consumer.assignment());
    }
  }

  private void applyPauses(Collection<TopicPartition> partitions) {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      (lanes.paused(partition) ? pause : resume).add(partition);
    }
    consumer.pause(pause);
    consumer.resume(resume);
  }

  /** Finishes and commits what a revoked partition has in flight before giving it up. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (crashing.get() || failure != null) {
        return;
      }
      lanes.forget(partitions);
      drain(partitions);
      commitIfDue(true);
      partitions.forEach(outstanding::remove);
      tracker.forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      transactions.forget(partitions);
      lanes.forget(partitions);
      partitions.forEach(outstanding::remove);
      tracker.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          inbox.committed(new HashSet<>(partitions), closing::get);
      for (TopicPartition partition : partitions) {
        tracker.assigned(partition, committed.get(partition));
      }
      applyPauses(partitions);
    }
  }
}
