package dev.tollgate.usage;

import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.platform.streams.Addressed;
import dev.tollgate.platform.streams.TopicStreams;
import dev.tollgate.schemas.BudgetAlert;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.Topics;
import dev.tollgate.schemas.UsageEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The usage ledger: every billed call counted once, into spend tables per team.
 *
 * <ul>
 *   <li>in: {@code usage-events} (key: team id, value: {@link UsageEvent})
 *   <li>in: {@code provider-health} (key: deployment id, value: {@link ProviderHealth})
 *   <li>store: {@value UsageStores#RESOLVED_CALLS} (call id, windowed), so a replayed event counts
 *       once
 *   <li>store: {@value UsageStores#OPEN_CALLS} ({@code team/callId} to the announcing {@link
 *       UsageEvent}): calls announced and not resolved, the ones whose outcome a crash lost (see
 *       {@link CallLedger}), counted in doubt in the spend tables
 *   <li>store: {@value UsageStores#TEAM_TOTALS} (team id to {@link TeamSpend}) and one store per
 *       {@link SpendTable} ({@link SpendRow}s), queried over HTTP
 *   <li>store: {@value UsageStores#DEPLOYMENT_HOURS} ({@code deployment|hour} to {@link
 *       DeploymentStats})
 *   <li>store: {@value UsageStores#UNPUBLISHED_SPEND}, {@value
 *       UsageStores#UNPUBLISHED_DEPLOYMENT_HOURS}: the rows changed since they were last published
 *       ({@link Unpublished})
 *   <li>out: {@code team-spend-total}, {@code team-spend-<table>}, {@code
 *       team-spend-deployment-hour} (compacted): each changed row's latest version, once per
 *       publish interval
 *   <li>out: {@code budget-alerts} (key: team id, value: {@link BudgetAlert})
 *   <li>out: {@code llm-requests-dlq} (key: source key, value: {@link DeadLetter}) for records that
 *       do not decode
 * </ul>
 */
public final class UsageTopology {

  public static final String SERVICE = "usage-aggregator";
  public static final String APPLICATION_ID = "tollgate-usage-aggregator";

  private UsageTopology() {}

  /**
   * @param teams the team configs in force (time zones, budgets)
   * @param grace how long after a day or month ends its rows still take late events
   * @param publishInterval how often the rows changed since are published to their topics
   */
  public static Topology build(
      Topics topics,
      AvroSerdes serdes,
      Duration dedupRetention,
      Function<String, Optional<TeamConfig>> teams,
      Duration grace,
      Duration publishInterval) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                    UsageStores.RESOLVED_CALLS, dedupRetention, dedupRetention, false),
                Serdes.String(),
                Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(UsageStores.OPEN_CALLS),
                Serdes.String(),
                serdes.of(UsageEvent.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(UsageStores.TEAM_TOTALS),
                Serdes.String(),
                serdes.of(TeamSpend.class))
            .withCachingEnabled());
    builder.addStateStore(Unpublished.store(UsageStores.UNPUBLISHED_SPEND));
    builder.addStateStore(Unpublished.store(UsageStores.UNPUBLISHED_DEPLOYMENT_HOURS));
    String[] spendStores = new String[SpendTable.values().length + 2];
    spendStores[0] = UsageStores.TEAM_TOTALS;
    spendStores[SpendTable.values().length + 1] = UsageStores.UNPUBLISHED_SPEND;
    for (SpendTable table : SpendTable.values()) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(table.storeName()),
                  Serdes.String(),
                  serdes.of(SpendRow.class))
              .withCachingEnabled());
      spendStores[table.ordinal() + 1] = table.storeName();
    }
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(UsageStores.DEPLOYMENT_HOURS),
                Serdes.String(),
                serdes.of(DeploymentStats.class))
            .withCachingEnabled());

    TopicStreams streams = new TopicStreams(builder, topics, serdes, SERVICE);
    Map<String, KStream<String, TableChange>> changes =
        streams
            .decoded(topics.usageEvents())
            .processValues(
                () -> new CallLedger(dedupRetention),
                Named.as("call-ledger"),
                UsageStores.RESOLVED_CALLS,
                UsageStores.OPEN_CALLS)
            .process(
                () -> new SpendTables(teams, grace, publishInterval),
                Named.as("spend-tables"),
                spendStores)
            .split(Named.as("change-"))
            .branch((team, c) -> c instanceof TableChange.Row, Branched.as("row"))
            .branch((team, c) -> c instanceof TableChange.Total, Branched.as("total"))
            .defaultBranch(Branched.as("alert"));

    streams.toAddressed(
        changes
            .get("change-row")
            .map(
                (team, c) -> {
                  TableChange.Row row = (TableChange.Row) c;
                  return KeyValue.pair(
                      row.key(),
                      Addressed.to(topics.spendTable(row.table().tableName()), row.row()));
                },
                Named.as("key-rows")),
        serdes.of(SpendRow.class),
        "spend-rows");
    streams.to(
        changes
            .get("change-total")
            .mapValues(c -> ((TableChange.Total) c).total(), Named.as("totals")),
        topics.teamSpendTotals(),
        "team-spend-total");
    streams.to(
        changes
            .get("change-alert")
            .mapValues(c -> ((TableChange.Alert) c).alert(), Named.as("alerts")),
        topics.budgetAlerts(),
        "budget-alerts");

    KStream<String, DeploymentStats> hours =
        streams
            .decoded(topics.providerHealth())
            .process(
                () -> new DeploymentHours(publishInterval),
                Named.as("deployment-hours"),
                UsageStores.DEPLOYMENT_HOURS,
                UsageStores.UNPUBLISHED_DEPLOYMENT_HOURS)
            .map(
                (deployment, stats) ->
                    KeyValue.pair(DeploymentHours.rowKey(deployment, stats.getHour()), stats),
                Named.as("key-deployment-hours"));
    streams.to(hours, topics.deploymentStats(), "deployment-stats");

    return builder.build();
  }
}
