package dev.tollgate.usage;

import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Follows each provider call by its call id and passes on what must be counted, once.
 *
 * <ul>
 *   <li>{@code IN_DOUBT} (written before the call): the call is open until resolved; it is kept in
 *       the open-calls store under {@code team/callId} and passed on as {@link CallChange.Opened},
 *       so the spend tables count it in doubt at its worst case.
 *   <li>{@code BILLED}, {@code CACHE_HIT}: resolve the call ({@link CallChange.Resolved} with its
 *       announcement, if there was one) and go on to the spend tables ({@link CallChange.Counted}).
 *   <li>{@code FAILED}: resolves the call; nothing to count.
 *   <li>{@code REQUEST_FAILED} (a request's end, for the router's budgets) and kinds this version
 *       does not know: nothing to count.
 *   <li>a second event for a call already resolved (a replay, a duplicate) is dropped.
 * </ul>
 *
 * Events are keyed by team and a call belongs to one team, so every event of a call reaches the
 * same task, in the order it was written. Resolved call ids are remembered for the retention
 * (default seven days); a call never resolved stays open, and in doubt, for good.
 */
final class CallLedger implements FixedKeyProcessor<String, UsageEvent, CallChange> {

  private final Duration retention;
  private FixedKeyProcessorContext<String, CallChange> context;
  private WindowStore<String, Long> resolved;
  private KeyValueStore<String, UsageEvent> openCalls;

  CallLedger(Duration retention) {
    this.retention = retention;
  }

  static String intentKey(String team, String callId) {
    return team + "/" + callId;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, CallChange> context) {
    this.context = context;
    this.resolved = context.getStateStore(UsageStores.RESOLVED_CALLS);
    this.openCalls = context.getStateStore(UsageStores.OPEN_CALLS);
  }

  @Override
  public void process(FixedKeyRecord<String, UsageEvent> record) {
    UsageEvent event = record.value();
    String callId = event.getCallId();
    long at = record.timestamp();
    if (isResolved(callId, at)) {
      return;
    }
    if (event.getKind() != UsageKind.IN_DOUBT
        && event.getKind() != UsageKind.BILLED
        && event.getKind() != UsageKind.CACHE_HIT
        && event.getKind() != UsageKind.FAILED) {
      return;
    }
    String key = intentKey(event.getTeamId(), callId);
    if (event.getKind() == UsageKind.IN_DOUBT) {
      if (openCalls.get(key) == null) {
        openCalls.put(key, event);
        context.forward(record.withValue(new CallChange.Opened(event)));
      }
      return;
    }
    resolved.put(callId, at, at);
    UsageEvent intent = openCalls.delete(key);
    if (intent != null) {
      context.forward(record.withValue(new CallChange.Resolved(intent)));
    }
    if (event.getKind() != UsageKind.FAILED) {
      context.forward(record.withValue(new CallChange.Counted(event)));
    }
  }

  private boolean isResolved(String callId, long at) {
    try (WindowStoreIterator<Long> earlier =
        resolved.fetch(callId, at - retention.toMillis(), at + retention.toMillis())) {
      return earlier.hasNext();
    }
  }
}
