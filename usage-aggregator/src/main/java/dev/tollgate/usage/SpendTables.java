package dev.tollgate.usage;

import dev.tollgate.platform.governance.Periods;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each change of a call (key: team id; see {@link CallChange}) to the team's total and to
 * every {@link SpendTable} row it belongs to, in the team's time zone, and forwards any budget
 * alert it set off at once. Every {@code publishInterval} (wall-clock time) it forwards the latest
 * version of each row and total changed since, to be published ({@link Unpublished}).
 *
 * <p>A period's rows close {@code grace} after the period ends (wall-clock time). An event for a
 * closed period still counts in the team's total, marked late there ({@code late_calls}); it does
 * not reopen the period's rows, so a published day does not change under its readers.
 */
final class SpendTables implements Processor<String, CallChange, String, TableChange> {

  /** The table name of the teams' totals among the marks of {@link Unpublished}. */
  private static final String TOTAL = "TOTAL";

  private final Function<String, Optional<TeamConfig>> teams;
  private final Duration grace;
  private final Duration publishInterval;
  private ProcessorContext<String, TableChange> context;
  private KeyValueStore<String, TeamSpend> totals;
  private final Map<SpendTable, KeyValueStore<String, SpendRow>> tables =
      new EnumMap<>(SpendTable.class);
  private Unpublished unpublished;

  SpendTables(
      Function<String, Optional<TeamConfig>> teams, Duration grace, Duration publishInterval) {
    this.teams = teams;
    this.grace = grace;
    this.publishInterval = publishInterval;
  }

  @Override
  public void init(ProcessorContext<String, TableChange> context) {
    this.context = context;
    this.totals = context.getStateStore(UsageStores.TEAM_TOTALS);
    for (SpendTable table : SpendTable.values()) {
      tables.put(table, context.getStateStore(table.storeName()));
    }
    this.unpublished = new Unpublished(context.getStateStore(UsageStores.UNPUBLISHED_SPEND));
    context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, now -> publish());
  }

  @Override
  public void process(Record<String, CallChange> record) {
    String team = record.key();
    CallChange change = record.value();
    UsageEvent event = change.event();
    Optional<TeamConfig> config = teams.apply(team);
    ZoneId zone = config.map(c -> ZoneId.of(c.getTimeZone())).orElse(ZoneOffset.UTC);
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    Instant at = event.getOccurredAt();
    boolean late = false;
    boolean isCounted = change instanceof CallChange.Counted;
    for (SpendTable table : SpendTable.values()) {
      String period = table.monthly() ? Periods.month(at, zone) : Periods.day(at, zone);
      Instant end =
          table.monthly() ? Periods.endOfMonth(period, zone) : Periods.endOfDay(period, zone);
      if (end.plus(grace).isBefore(now)) {
        late |= table == SpendTable.DAY;
        continue;
      }
      KeyValueStore<String, SpendRow> store = tables.get(table);
      String key = table.rowKey(team, period, event);
      SpendRow before = store.get(key);
      SpendRow after = Spend.add(before, table.emptyRow(team, period, event), change);
      store.put(key, after);
      unpublished.mark(table.name(), key, record.timestamp());
      if (isCounted
          && config.isPresent()
          && (table == SpendTable.DAY || table == SpendTable.MONTH)) {
        alert(
            record,
            config.get(),
            table == SpendTable.DAY ? BudgetPeriod.DAY : BudgetPeriod.MONTH,
            period,
            before == null ? 0 : before.getCostMicros(),
            after.getCostMicros(),
            now);
      }
    }
    TeamSpend before = totals.get(team);
    TeamSpend after = Spend.add(before, team, change, late && isCounted);
    totals.put(team, after);
    unpublished.mark(TOTAL, team, record.timestamp());
    if (!isCounted) {
      return;
    }
    config.ifPresent(
        c ->
            alert(
                record,
                c,
                BudgetPeriod.TOTAL,
                "",
                before == null ? 0 : before.getCostMicros(),
                after.getCostMicros(),
                now));
  }

  /** Forwards the latest version of every row and total changed since the last time. */
  private void publish() {
    for (Unpublished.Mark mark : unpublished.take()) {
      TableChange change =
          TOTAL.equals(mark.table())
              ? new TableChange.Total(totals.get(mark.key()))
              : rowChange(SpendTable.valueOf(mark.table()), mark.key());
      context.forward(new Record<>(mark.key(), change, mark.changedAt()));
    }
  }

  private TableChange rowChange(SpendTable table, String key) {
    return new TableChange.Row(table, key, tables.get(table).get(key));
  }

  private void alert(
      Record<String, CallChange> record,
      TeamConfig team,
      BudgetPeriod period,
      String periodId,
      long before,
      long after,
      Instant now) {
    BudgetAlerts.crossed(team, period, periodId, before, after, now)
        .forEach(a -> context.forward(record.withValue(new TableChange.Alert(a))));
  }
}
