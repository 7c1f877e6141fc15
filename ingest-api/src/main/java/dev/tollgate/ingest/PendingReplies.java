package dev.tollgate.ingest;

import dev.tollgate.schemas.LlmReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The requests this instance is waiting on, by request id. A reply completes its waiter once; a
 * reply nobody waits for (its client gave up at the deadline) is dropped.
 */
final class PendingReplies {

  private final Map<String, Consumer<LlmReply>> waiting = new ConcurrentHashMap<>();

  /** Registers {@code onReply} for {@code requestId}; register before publishing the request. */
  void await(String requestId, Consumer<LlmReply> onReply) {
    waiting.put(requestId, onReply);
  }

  /** Stops waiting for {@code requestId}; true if it was still waiting. */
  boolean abandon(String requestId) {
    return waiting.remove(requestId) != null;
  }

  void complete(LlmReply reply) {
    Consumer<LlmReply> waiter = waiting.remove(reply.getRequestId());
    if (waiter != null) {
      waiter.accept(reply);
    }
  }

  int size() {
    return waiting.size();
  }
}
