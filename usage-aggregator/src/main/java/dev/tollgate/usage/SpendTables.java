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
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each counted usage event (key: team id) to the team's total and to every {@link SpendTable}
 * row it belongs to, in the team's time zone, and forwards each change to be published, with any
 * budget alert it set off.
 *
 * <p>A period's rows close {@code grace} after the period ends (wall-clock time). An event for a
 * closed period still counts in the team's total, marked late there ({@code late_calls}); it does
 * not reopen the period's rows, so a published day does not change under its readers.
 */
final class SpendTables implements FixedKeyProcessor<String, UsageEvent, TableChange> {

  private final Function<String, Optional<TeamConfig>> teams;
  private final Duration grace;
  private FixedKeyProcessorContext<String, TableChange> context;
  private KeyValueStore<String, TeamSpend> totals;
  private final Map<SpendTable, KeyValueStore<String, SpendRow>> tables =
      new EnumMap<>(SpendTable.class);

  SpendTables(Function<String, Optional<TeamConfig>> teams, Duration grace) {
    this.teams = teams;
    this.grace = grace;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, TableChange> context) {
    this.context = context;
    this.totals = context.getStateStore(UsageTopology.TEAM_TOTALS);
    for (SpendTable table : SpendTable.values()) {
      tables.put(table, context.getStateStore(table.storeName()));
    }
  }

  @Override
  public void process(FixedKeyRecord<String, UsageEvent> record) {
    String team = record.key();
    UsageEvent event = record.value();
    Optional<TeamConfig> config = teams.apply(team);
    ZoneId zone = config.map(c -> ZoneId.of(c.getTimeZone())).orElse(ZoneOffset.UTC);
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    Instant at = event.getOccurredAt();
    boolean late = false;
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
      SpendRow after = Spend.add(before, table.emptyRow(team, period, event), event);
      store.put(key, after);
      forward(record, new TableChange.Row(table, key, after));
      if (config.isPresent() && (table == SpendTable.DAY || table == SpendTable.MONTH)) {
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
    TeamSpend after = Spend.add(before, team, event, late);
    totals.put(team, after);
    forward(record, new TableChange.Total(after));
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

  private void alert(
      FixedKeyRecord<String, UsageEvent> record,
      TeamConfig team,
      BudgetPeriod period,
      String periodId,
      long before,
      long after,
      Instant now) {
    BudgetAlerts.crossed(team, period, periodId, before, after, now)
        .forEach(a -> forward(record, new TableChange.Alert(a)));
  }

  private void forward(FixedKeyRecord<String, UsageEvent> record, TableChange change) {
    context.forward(record.withValue(change));
  }
}
