package dev.tollgate.ingest.async;

import dev.tollgate.platform.kafka.KafkaSettings;
import dev.tollgate.platform.kafka.TopicFollower;
import dev.tollgate.platform.serde.AvroSerdes;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every async request of the last {@link AsyncService#RETENTION} and its reply once there, read by
 * each ingest instance from {@code async-requests} and {@code async-replies}, so any instance
 * answers {@code GET /v1/requests/{id}}. Older entries are dropped, as Kafka drops the records.
 */
final class AsyncResults implements AutoCloseable {

  /** An accepted request and, once it came, its reply. */
  record Entry(AsyncRequest request, LlmReply reply) {}

  private final Map<String, AsyncRequest> requests = new ConcurrentHashMap<>();
  private final Map<String, LlmReply> replies = new ConcurrentHashMap<>();
  private final TopicFollower<AsyncRequest> requestFollower;
  private final TopicFollower<LlmReply> replyFollower;
  private final Clock clock;

  AsyncResults(KafkaSettings kafka, AvroSerdes serdes, String instanceId, Clock clock) {
    this.clock = clock;
    Instant since = clock.instant().minus(AsyncService.RETENTION);
    this.requestFollower =
        TopicFollower.since(
                kafka.clientProperties("tollgate-ingest-async-requests-" + instanceId),
                kafka.topics().asyncRequests().name(),
                serdes.of(AsyncRequest.class),
                r -> requests.put(r.getRequestId(), r),
                since)
            .start();
    this.replyFollower =
        TopicFollower.since(
                kafka.clientProperties("tollgate-ingest-async-replies-" + instanceId),
                kafka.topics().asyncReplies().name(),
                serdes.of(LlmReply.class),
                r -> replies.put(r.getRequestId(), r),
                since)
            .start();
  }

  /** The request and its reply (null while pending), if it is {@code teamId}'s. */
  Optional<Entry> find(String teamId, String requestId) {
    AsyncRequest request = requests.get(requestId);
    if (request == null || !request.getTeamId().equals(teamId)) {
      return Optional.empty();
    }
    return Optional.of(new Entry(request, replies.get(requestId)));
  }

  /** The request {@code requestId} was accepted as, waiting up to {@code timeout} to see it. */
  Optional<AsyncRequest> awaitRequest(String requestId, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    AsyncRequest request;
    while ((request = requests.get(requestId)) == null && System.nanoTime() < end) {
      try {
        // The follower applies records on its own thread and gives no signal.
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.ofNullable(request);
  }

  /** Drops what is older than the retention. */
  void prune() {
    Instant oldest = clock.instant().minus(AsyncService.RETENTION);
    requests.values().removeIf(r -> r.getCreatedAt().isBefore(oldest));
    replies.values().removeIf(r -> r.getRepliedAt().isBefore(oldest));
  }

  boolean isAlive() {
    return requestFollower.isAlive() && replyFollower.isAlive();
  }

  @Override
  public void close() {
    requestFollower.stop();
    replyFollower.stop();
  }
}
