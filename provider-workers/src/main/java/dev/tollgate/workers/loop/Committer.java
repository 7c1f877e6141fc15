package dev.tollgate.workers.loop;

import dev.tollgate.workers.call.Outgoing;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs a worker's transactions on a thread of their own, so the poll thread keeps starting calls
 * and collecting results while a commit waits on the transaction coordinator (tens of
 * milliseconds). One transaction at a time, in submission order; all of the producer's
 * transactional calls happen on this thread. When one ends, {@code ended} runs (after {@link
 * #busy()} turns false), so the poll thread can start the next at once.
 */
final class Committer implements AutoCloseable {

  private final Producer<String, SpecificRecord> producer;
  private final ExecutorService thread;
  private final Runnable ended;
  private CompletableFuture<Void> last;

  Committer(Producer<String, SpecificRecord> producer, String name, Runnable ended) {
    this.producer = producer;
    this.ended = ended;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Initialises the transactional producer (fencing any predecessor); waits for it. */
  void init() {
    last = CompletableFuture.runAsync(producer::initTransactions, thread);
    await();
  }

  /** Whether a transaction is still being committed. */
  boolean busy() {
    return last != null && !last.isDone();
  }

  /** Starts one transaction with {@code outputs} and the consumer {@code offsets}. */
  void submit(
      List<Outgoing> outputs,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    last =
        CompletableFuture.runAsync(
            () -> {
              producer.beginTransaction();
              for (Outgoing o : outputs) {
                producer.send(o.record());
              }
              if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
              }
              producer.commitTransaction();
            },
            thread);
    last.whenComplete((done, failed) -> ended.run());
  }

  /** Waits for the last transaction; throws if it failed. */
  void await() {
    if (last == null) {
      return;
    }
    try {
      last.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("transaction failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while committing", e);
    }
  }

  /** The failure of the last transaction, once it is done; null while fine or still running. */
  RuntimeException failure() {
    if (last == null || !last.isDone()) {
      return null;
    }
    try {
      await();
      return null;
    } catch (IllegalStateException e) {
      return e;
    }
  }

  /** Stops; a crash abandons the open transaction, a clean close lets the last one finish. */
  void close(boolean crash) {
    if (crash) {
      thread.shutdownNow();
      producer.close(Duration.ZERO);
      return;
    }
    thread.shutdown();
    producer.close(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    close(false);
  }
}
