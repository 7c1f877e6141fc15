package dev.tollgate.usage;

import dev.tollgate.schemas.UsageEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Passes each call id once: a usage event replayed or duplicated within the retention (default
 * seven days) is dropped, so the ledger counts each billed call exactly once. Call ids are kept in
 * a window store keyed by call id; events are keyed by team, and a call belongs to one team, so
 * every copy of an event reaches the same task.
 */
final class DedupByCallId implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

  private final String storeName;
  private final Duration retention;
  private FixedKeyProcessorContext<String, UsageEvent> context;
  private WindowStore<String, Long> seen;

  DedupByCallId(String storeName, Duration retention) {
    this.storeName = storeName;
    this.retention = retention;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, UsageEvent> record) {
    String callId = record.value().getCallId();
    long at = record.timestamp();
    try (WindowStoreIterator<Long> earlier =
        seen.fetch(callId, at - retention.toMillis(), at + retention.toMillis())) {
      if (earlier.hasNext()) {
        return;
      }
    }
    seen.put(callId, at, at);
    context.forward(record);
  }
}
