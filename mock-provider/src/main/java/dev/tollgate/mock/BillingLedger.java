package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Every call the mock billed, in order: the provider's side of the reconciliation that proves
 * Tollgate's spend exact ({@code GET /_mock/ledger}).
 */
public final class BillingLedger {

  private final List<LedgerEntry> entries = new ArrayList<>();

  public synchronized void record(LedgerEntry entry) {
    entries.add(entry);
  }

  public synchronized List<LedgerEntry> entries() {
    return List.copyOf(entries);
  }

  public synchronized long totalCostMicros() {
    return entries.stream().mapToLong(LedgerEntry::costMicros).sum();
  }

  public synchronized void clear() {
    entries.clear();
  }

  synchronized JsonObject toJson() {
    JsonArray calls = new JsonArray();
    entries.forEach(e -> calls.add(e.toJson()));
    return new JsonObject()
        .put("count", entries.size())
        .put("total_cost_micros", totalCostMicros())
        .put("calls", calls);
  }
}
