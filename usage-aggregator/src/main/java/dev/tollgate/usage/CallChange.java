package dev.tollgate.usage;

import dev.tollgate.schemas.UsageEvent;

/** What the {@link CallLedger} passes on to the {@link SpendTables}, each once. */
sealed interface CallChange {

  UsageEvent event();

  /** A call announced: it counts in doubt, at its worst case, until it is resolved. */
  record Opened(UsageEvent event) implements CallChange {}

  /** An announced call resolved: it no longer counts in doubt ({@code event}: the announcement). */
  record Resolved(UsageEvent event) implements CallChange {}

  /** A billed call or a cache hit, to be counted as spend. */
  record Counted(UsageEvent event) implements CallChange {}
}
