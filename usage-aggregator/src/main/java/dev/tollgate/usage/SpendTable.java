package dev.tollgate.usage;

import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.UsageEvent;
import java.util.Locale;

/**
 * The aggregator's spend tables kept per team, each a named store with a changelog and published to
 * its compacted {@code team-spend-<table>} topic. Row keys start with the team id, so a team's rows
 * live in the task that owns its partition and a range scan finds them.
 */
enum SpendTable {
  /** Per team per day: {@code team|2026-11-22}. */
  DAY,
  /** Per team per month: {@code team|2026-11}. */
  MONTH,
  /** Per team, model and provider per day: {@code team|2026-11-22|model|provider}. */
  MODEL_DAY,
  /** Per key per day: {@code team|2026-11-22|key}. */
  KEY_DAY;

  /**
   * The table's name: its store is {@code team-spend-<name>-store}, its topic {@code
   * team-spend-<name>}.
   */
  String tableName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  String storeName() {
    return "team-spend-" + tableName() + "-store";
  }

  /** Whether the table is by month (else by day). */
  boolean monthly() {
    return this == MONTH;
  }

  /** The row key of {@code event}, which happened in {@code period}. */
  String rowKey(String team, String period, UsageEvent event) {
    return switch (this) {
      case DAY, MONTH -> team + "|" + period;
      case MODEL_DAY -> team + "|" + period + "|" + event.getModel() + "|" + event.getProvider();
      case KEY_DAY -> team + "|" + period + "|" + event.getKeyId();
    };
  }

  /** The empty row {@code event}'s is added to. */
  SpendRow emptyRow(String team, String period, UsageEvent event) {
    return switch (this) {
      case DAY, MONTH -> Spend.emptyRow(team, period, "", "", "");
      case MODEL_DAY -> Spend.emptyRow(team, period, event.getModel(), event.getProvider(), "");
      case KEY_DAY -> Spend.emptyRow(team, period, "", "", event.getKeyId());
    };
  }
}
