package dev.tollgate.workers.loop;

import dev.tollgate.platform.deadletter.DeadLetters;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.workers.adapter.HttpCall;
import dev.tollgate.workers.adapter.ProviderAdapter;
import dev.tollgate.workers.adapter.ProviderResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider topic's consumer loop. A single thread owns the consumer, the producer and the
 * offset tracker; provider calls run asynchronously on Vert.x, and everything they produce comes
 * back to this thread as an event, so no Kafka client is shared between threads.
 *
 * <p>A record is finished when every record it produced (reply, usage event, fallback, dead letter)
 * is acknowledged by the broker; offsets are committed only up to the oldest unfinished record, so
 * a crash re-delivers what was in flight and loses nothing (at least once).
 */
final class WorkerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

  private final String topic;
  private final Consumer<String, byte[]> consumer;
  private final Producer<String, SpecificRecord> producer;
  private final Deserializer<RoutedRequest> decoder;
  private final ProviderAdapter adapter;
  private final CallRunner calls;
  private final Outcomes outcomes;
  private final WorkerOptions options;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final OffsetTracker tracker = new OffsetTracker();
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Exception failure;
  private boolean paused;
  private long lastCommitNanos = System.nanoTime();

  WorkerLoop(
      String topic,
      Consumer<String, byte[]> consumer,
      Producer<String, SpecificRecord> producer,
      Deserializer<RoutedRequest> decoder,
      ProviderAdapter adapter,
      CallRunner calls,
      Outcomes outcomes,
      WorkerOptions options,
      Clock clock,
      WorkerMetrics metrics) {
    this.topic = topic;
    this.consumer = consumer;
    this.producer = producer;
    this.decoder = decoder;
    this.adapter = adapter;
    this.calls = calls;
    this.outcomes = outcomes;
    this.options = options;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (!closing.get() && failure == null) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            start(record);
          }
        } catch (WakeupException e) {
          // An event arrived or close() was called: handled below.
        }
        runEvents();
        commitIfDue(false);
        applyBackpressure();
      }
      drain(null);
      commitIfDue(true);
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("worker for {} stopped", topic, e);
    } finally {
      producer.close(Duration.ofSeconds(10));
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Asks the loop to finish its calls in flight, commit, and stop. */
  void stop() {
    closing.set(true);
    consumer.wakeup();
  }

  boolean isHealthy() {
    return failure == null;
  }

  int inFlight() {
    return tracker.inFlight();
  }

  private void start(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    tracker.started(partition, record.offset());
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
      send(partition, record.offset(), List.of(poison(record, source, e.getMessage())));
      return;
    }
    LlmRequest request = routed.getRequest();
    Instant now = clock.instant();
    Duration left = Duration.between(now, request.getDeadlineAt());
    if (left.isNegative() || left.isZero()) {
      send(
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
      send(
          partition,
          record.offset(),
          terminal(routed, 400, "invalid_request_error", null, e.getMessage(), source, now));
      return;
    }
    calls
        .run(call, deployment, request.getDeadlineAt())
        .thenApply(result -> finish(routed, result, source))
        .whenComplete(
            (out, e) -> {
              if (e != null) {
                failure = new IllegalStateException("a finished call could not be recorded", e);
                LOG.error("worker for {} stopping", topic, e);
                consumer.wakeup();
              } else {
                post(() -> send(partition, record.offset(), out));
              }
            });
  }

  private List<Outgoing> finish(
      RoutedRequest routed, CallRunner.CallResult call, DeadLetters.Source source) {
    if (call.result() instanceof ProviderResult.Success success) {
      return outcomes.success(routed, success, call, UUID.randomUUID().toString());
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

  private Outgoing poison(
      ConsumerRecord<String, byte[]> record, DeadLetters.Source source, String why) {
    return new Outgoing(
        outcomes.deadLetterTopic(),
        record.key(),
        DeadLetters.poison(
            Outcomes.SERVICE,
            source,
            record.key(),
            record.value(),
            record.headers(),
            "undecodable: " + why,
            clock.instant()));
  }

  /** Produces {@code out}; the record at {@code offset} is finished when all are acknowledged. */
  private void send(TopicPartition partition, long offset, List<Outgoing> out) {
    AtomicInteger pending = new AtomicInteger(out.size());
    for (Outgoing o : out) {
      producer.send(
          new ProducerRecord<>(o.topic(), o.key(), o.value()),
          (meta, e) -> {
            if (e != null) {
              failure = e;
              LOG.error("cannot produce to {}; stopping without committing", o.topic(), e);
              consumer.wakeup();
            } else if (pending.decrementAndGet() == 0) {
              post(() -> tracker.finished(partition, offset));
            }
          });
    }
  }

  private void post(Runnable event) {
    events.add(event);
    if (wakeupPending.compareAndSet(false, true)) {
      consumer.wakeup();
    }
  }

  private void runEvents() {
    wakeupPending.set(false);
    List<Runnable> batch = new ArrayList<>();
    events.drainTo(batch);
    batch.forEach(Runnable::run);
  }

  /** Runs events until nothing (or nothing of {@code partitions}) is in flight, or time is up. */
  private void drain(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    while (failure == null && tracker.inFlight() > 0 && System.nanoTime() < deadline) {
      if (partitions != null && partitions.stream().noneMatch(tracker::hasInFlight)) {
        return;
      }
      try {
        Runnable event = events.poll(50, TimeUnit.MILLISECONDS);
        if (event != null) {
          event.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void commitIfDue(boolean now) {
    if (failure != null) {
      return;
    }
    if (!now && System.nanoTime() - lastCommitNanos < options.commitInterval().toNanos()) {
      return;
    }
    lastCommitNanos = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (offsets.isEmpty()) {
      return;
    }
    if (now) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(
          offsets,
          (committed, e) -> {
            if (e != null) {
              LOG.warn("offset commit failed; the next one covers it: {}", e.toString());
            }
          });
    }
  }

  private void applyBackpressure() {
    if (!paused && tracker.inFlight() >= options.maxInFlight()) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && tracker.inFlight() <= options.maxInFlight() / 2) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  /** Finishes and commits what a revoked partition has in flight before giving it up. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drain(partitions);
      commitIfDue(true);
      tracker.forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      tracker.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions);
      }
    }
  }
}
