package dev.tollgate.usage;

import dev.tollgate.schemas.BudgetAlert;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;

/** What one counted usage event changed, to be published. */
sealed interface TableChange {

  /** A row of {@code table} under {@code key}. */
  record Row(SpendTable table, String key, SpendRow row) implements TableChange {}

  /** The team's running total. */
  record Total(TeamSpend total) implements TableChange {}

  /** A soft budget threshold crossed. */
  record Alert(BudgetAlert alert) implements TableChange {}
}
