package dev.tollgate.ingest.async;

import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.RecordReads;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every async request of the last {@link AsyncService#RETENTION} and where its reply is once there,
 * read by each ingest instance from {@code async-requests} and {@code async-replies}, so any
 * instance answers {@code GET /v1/requests/{id}}. Memory stays bounded: a request is a few small
 * fields, a reply is kept as its place on {@code async-replies} and read from Kafka when asked for,
 * and {@link #isFull} tells the service to refuse new requests past {@code maxHeld}. Older entries
 * are dropped, as Kafka drops the records.
 */
final class AsyncResults implements AutoCloseable {

  /** Where a reply was written, and when. */
  record Place(int partition, long offset, Instant at) {}

  /** An accepted request and, once it came, where its reply is. */
  record Entry(AsyncRequest request, Place reply) {}

  private static final int READERS = 4;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, AsyncRequest> requests = new ConcurrentHashMap<>();
  private final Map<String, Place> replies = new ConcurrentHashMap<>();
  private final TopicFollower<AsyncRequest> requestFollower;
  private final TopicFollower<LlmReply> replyFollower;
  private final BlockingQueue<KafkaConsumer<String, byte[]>> readers =
      new ArrayBlockingQueue<>(READERS);
  private final Properties readerProps;
  private final AvroTopic<LlmReply> replyTopic;
  private final int maxHeld;
  private final Clock clock;

  AsyncResults(
      KafkaSettings kafka, AvroSerdes serdes, String instanceId, int maxHeld, Clock clock) {
    this.clock = clock;
    this.maxHeld = maxHeld;
    this.replyTopic = serdes.on(kafka.topics().asyncReplies());
    this.readerProps = kafka.clientProperties("tollgate-ingest-async-reads-" + instanceId);
    for (int i = 0; i < READERS; i++) {
      readers.add(RecordReads.consumer(readerProps));
    }
    Instant since = clock.instant().minus(AsyncService.RETENTION);
    this.requestFollower =
        TopicFollower.since(
                kafka.clientProperties("tollgate-ingest-async-requests-" + instanceId),
                serdes.on(kafka.topics().asyncRequests()),
                r -> requests.put(r.getRequestId(), r),
                since)
            .start();
    this.replyFollower =
        TopicFollower.<LlmReply>records(
                kafka.clientProperties("tollgate-ingest-async-replies-" + instanceId),
                replyTopic,
                (record, reply) -> {
                  if (reply != null) {
                    replies.put(
                        reply.getRequestId(),
                        new Place(record.partition(), record.offset(), reply.getRepliedAt()));
                  }
                },
                since)
            .start();
  }

  /** The request and where its reply is (null while pending), if it is {@code teamId}'s. */
  Optional<Entry> find(String teamId, String requestId) {
    AsyncRequest request = requests.get(requestId);
    if (request == null || !request.getTeamId().equals(teamId)) {
      return Optional.empty();
    }
    return Optional.of(new Entry(request, replies.get(requestId)));
  }

  /**
   * The reply at {@code place}, read from Kafka; empty when retention deleted it. Blocking: run it
   * off the event loop.
   */
  Optional<LlmReply> reply(Place place) throws InterruptedException {
    KafkaConsumer<String, byte[]> reader =
        readers.poll(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (reader == null) {
      throw new IllegalStateException("every async reply reader is busy");
    }
    try {
      return RecordReads.valueAt(
              reader,
              new TopicPartition(replyTopic.name(), place.partition()),
              place.offset(),
              READ_TIMEOUT)
          .map(replyTopic::decode);
    } finally {
      readers.add(reader);
    }
  }

  /** Whether {@code maxHeld} requests are held: new ones are refused until some age out. */
  boolean isFull() {
    return requests.size() >= maxHeld;
  }

  /** The request {@code requestId} was accepted as, waiting up to {@code timeout} to see it. */
  Optional<AsyncRequest> awaitRequest(String requestId, Duration timeout) {
    requestFollower.awaitUntil(() -> requests.containsKey(requestId), timeout);
    return Optional.ofNullable(requests.get(requestId));
  }

  /** Drops what is older than the retention. */
  void prune() {
    Instant oldest = clock.instant().minus(AsyncService.RETENTION);
    requests.values().removeIf(r -> r.getCreatedAt().isBefore(oldest));
    replies.values().removeIf(r -> r.at().isBefore(oldest));
  }

  boolean isAlive() {
    return requestFollower.isAlive() && replyFollower.isAlive();
  }

  @Override
  public void close() {
    requestFollower.stop();
    replyFollower.stop();
    readers.forEach(r -> r.close(Duration.ofSeconds(5)));
  }
}
