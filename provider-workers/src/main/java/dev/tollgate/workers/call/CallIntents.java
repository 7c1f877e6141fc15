package dev.tollgate.workers.call;

import dev.tollgate.core.kafka.Records;
import dev.tollgate.schemas.Topic;
import dev.tollgate.schemas.UsageEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Records, before a provider call is made, that it is about to be made: an {@code IN_DOUBT} usage
 * event, acknowledged by the broker before the HTTP request leaves. The call's {@code BILLED} or
 * {@code FAILED} event resolves it later, in the worker's transaction; one that is never resolved
 * is a call whose outcome a crash lost, and the ledger shows it as in doubt instead of forgetting a
 * call the provider may have billed.
 *
 * <p>Written outside the worker's transaction on purpose: an aborted transaction must not take the
 * record of a call that was really made with it.
 */
public interface CallIntents {

  CompletionStage<Void> before(UsageEvent intent);

  /** No intent records (for {@code workers.record-call-intents: false}). */
  CallIntents NONE = intent -> CompletableFuture.completedFuture(null);

  /** Intents on {@code topic} through a shared, idempotent, non-transactional producer. */
  static CallIntents kafka(
      Producer<String, SpecificRecord> producer, Topic<String, UsageEvent> topic) {
    return intent -> {
      CompletableFuture<Void> written = new CompletableFuture<>();
      producer.send(
          Records.to(topic, intent.getTeamId(), intent),
          (meta, e) -> {
            if (e == null) {
              written.complete(null);
            } else {
              written.completeExceptionally(e);
            }
          });
      return written;
    };
  }
}
