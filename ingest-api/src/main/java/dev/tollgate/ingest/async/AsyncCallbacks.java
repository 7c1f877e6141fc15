package dev.tollgate.ingest.async;

import dev.tollgate.core.kafka.GroupReader;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.platform.http.WebhookPost;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Posts each async reply to its request's callback URL, if it has one. The ingest instances share
 * the work as one consumer group on {@code async-replies}; offsets are committed after the posts,
 * so a crash posts some replies again: receivers deduplicate on the {@code Idempotency-Key} header
 * (the request id). A callback that fails {@value #ATTEMPTS} times is given up (logged); the reply
 * stays available from {@code GET /v1/requests/{id}}.
 */
final class AsyncCallbacks implements AutoCloseable {

  private static final int ATTEMPTS = 3;

  private final AsyncResults results;
  private final WebhookPost callbacks =
      new WebhookPost("async callback", ATTEMPTS, Duration.ofSeconds(1), Duration.ofSeconds(2));
  private final GroupReader<LlmReply> reader;

  AsyncCallbacks(
      Properties clientProps, String groupId, AvroTopic<LlmReply> replies, AsyncResults results) {
    this.results = results;
    this.reader = new GroupReader<>(clientProps, groupId, 50, replies, this::deliver);
  }

  AsyncCallbacks start() {
    reader.start();
    return this;
  }

  boolean isAlive() {
    return reader.isAlive();
  }

  private void deliver(LlmReply reply) throws InterruptedException {
    Optional<AsyncRequest> request =
        results.awaitRequest(reply.getRequestId(), Duration.ofSeconds(10));
    String url = request.map(AsyncRequest::getCallbackUrl).orElse(null);
    if (url == null) {
      return;
    }
    // Failures are logged by the policy; a callback given up stays readable from the GET.
    callbacks.post(URI.create(url), reply.getRequestId(), AsyncJson.result(reply).encode());
  }

  @Override
  public void close() {
    reader.close();
  }
}
