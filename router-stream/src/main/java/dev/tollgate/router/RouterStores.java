package dev.tollgate.router;

import dev.tollgate.router.governance.BudgetLedger;
import dev.tollgate.router.governance.StoreMap;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The router's state stores: their names, shared by the topology that declares them and the
 * processors that use them, and the budget ledger over its three.
 */
final class RouterStores {

  static final String CACHE = "response-cache-store";
  static final String RATE_LIMITS = "rate-limit-store";
  static final String BUDGET_TALLIES = "budget-tally-store";
  static final String BUDGET_RESERVATIONS = "budget-reservation-store";
  static final String IN_DOUBT_CALLS = "budget-in-doubt-call-store";
  static final String SEEN_REQUESTS = "seen-request-store";

  private RouterStores() {}

  /** The budget ledger of the task {@code context} belongs to. */
  static BudgetLedger budgetLedger(ProcessingContext context) {
    return new BudgetLedger(
        new StoreMap<>(context.getStateStore(BUDGET_TALLIES)),
        new StoreMap<>(context.getStateStore(BUDGET_RESERVATIONS)),
        new StoreMap<>(context.getStateStore(IN_DOUBT_CALLS)));
  }
}
