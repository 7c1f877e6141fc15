package dev.tollgate.router;

import dev.tollgate.router.governance.BudgetLedger;
import dev.tollgate.router.governance.Governance;
import dev.tollgate.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Settles budget reservations from {@code usage-events}, in the task that made them (the topic is
 * co-partitioned with the requests): a billed call turns the request's reservation into its actual
 * cost; a request that ended in an error releases its reservation; announced calls are followed
 * until resolved, and those left unresolved count at their worst case ({@link BudgetLedger}). Every
 * 30 seconds of wall-clock time, reservations whose request should long be over are released.
 */
final class SettleProcessor implements FixedKeyProcessor<String, UsageEvent, Void> {

  static final Duration SWEEP = Duration.ofSeconds(30);

  private final Governance governance;
  private BudgetLedger ledger;

  SettleProcessor(Governance governance) {
    this.governance = governance;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Void> context) {
    this.ledger = RouterStores.budgetLedger(context);
    context.schedule(
        SWEEP,
        PunctuationType.WALL_CLOCK_TIME,
        now -> ledger.releaseExpired(Instant.ofEpochMilli(now)));
  }

  @Override
  public void process(FixedKeyRecord<String, UsageEvent> record) {
    UsageEvent event = record.value();
    switch (event.getKind()) {
      case IN_DOUBT ->
          ledger.open(
              event.getCallId(),
              event.getRequestId(),
              governance.payer(event.getTeamId(), event.getKeyId()),
              event.getWorstCaseMicros(),
              event.getOccurredAt());
      case BILLED -> {
        ledger.resolve(event.getCallId());
        ledger.settle(
            event.getRequestId(),
            governance.payer(event.getTeamId(), event.getKeyId()),
            event.getCostMicros(),
            event.getOccurredAt());
      }
      case FAILED, CACHE_HIT -> ledger.resolve(event.getCallId());
      case REQUEST_FAILED -> ledger.release(event.getRequestId());
      default -> {
        // A kind this version does not know: nothing to settle.
      }
    }
  }
}
