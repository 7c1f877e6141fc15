package dev.tollgate.ingest.async;

import dev.tollgate.core.kafka.Clients;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.platform.http.WebhookPost;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Posts each async reply to its request's callback URL, if it has one. The ingest instances share
 * the work as one consumer group on {@code async-replies}; offsets are committed after the posts,
 * so a crash posts some replies again: receivers deduplicate on the {@code Idempotency-Key} header
 * (the request id). A callback that fails {@value #ATTEMPTS} times is given up (logged); the reply
 * stays available from {@code GET /v1/requests/{id}}.
 */
final class AsyncCallbacks implements Runnable, AutoCloseable {

  private static final int ATTEMPTS = 3;

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroTopic<LlmReply> replies;
  private final AsyncResults results;
  private final WebhookPost callbacks =
      new WebhookPost("async callback", ATTEMPTS, Duration.ofSeconds(1), Duration.ofSeconds(2));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  AsyncCallbacks(
      Properties clientProps, String groupId, AvroTopic<LlmReply> replies, AsyncResults results) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    this.consumer = Clients.rawConsumer(props);
    this.replies = replies;
    this.results = results;
    this.thread = new Thread(this, "async-callbacks");
  }

  AsyncCallbacks start() {
    thread.start();
    return this;
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(replies.name()));
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          deliver(record);
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    Optional<LlmReply> decoded = replies.decodeOrSkip(record);
    if (decoded.isEmpty()) {
      return;
    }
    LlmReply reply = decoded.get();
    Optional<AsyncRequest> request =
        results.awaitRequest(reply.getRequestId(), Duration.ofSeconds(10));
    String url = request.map(AsyncRequest::getCallbackUrl).orElse(null);
    if (url == null) {
      return;
    }
    try {
      // Failures are logged by the policy; a callback given up stays readable from the GET.
      callbacks.post(URI.create(url), reply.getRequestId(), AsyncJson.result(reply).encode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
