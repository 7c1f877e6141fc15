package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetAlert;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);

  private final Topics topics = Topics.standard();
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
  private TopologyTestDriver driver;
  private TestInputTopic<String, UsageEvent> usage;
  private TestOutputTopic<String, TeamSpend> totals;
  private KeyValueStore<String, TeamSpend> store;
  private final Map<String, TeamConfig> teams = new HashMap<>();

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put("application.id", "usage-test");
    props.put("bootstrap.servers", "unused:9092");
    props.put("statestore.cache.max.bytes", 0);
    driver =
        new TopologyTestDriver(
            UsageTopology.build(
                topics,
                serdes,
                Duration.ofDays(7),
                team -> Optional.ofNullable(teams.get(team)),
                Duration.ofHours(1),
                PUBLISH_INTERVAL),
            props,
            T0);
    usage =
        driver.createInputTopic(
            topics.usageEvents().name(), Serdes.String().serializer(), serdes.of(UsageEvent.class));
    totals =
        driver.createOutputTopic(
            topics.teamSpendTotals().name(),
            Serdes.String().deserializer(),
            serdes.of(TeamSpend.class));
    store = driver.getKeyValueStore(UsageStores.TEAM_TOTALS);
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void sumsSpendAndTokensPerTeam() {
    usage.pipeInput("a", event("c1", "a", 5, 9, 6, UsageKind.BILLED), T0);
    usage.pipeInput(
        "a", event("c2", "a", 1_234_567, 100, 2_000, UsageKind.BILLED), T0.plusSeconds(1));
    usage.pipeInput("b", event("c3", "b", 7, 1, 1, UsageKind.BILLED), T0.plusSeconds(2));
    usage.pipeInput("a", event("c4", "a", 0, 0, 0, UsageKind.CACHE_HIT), T0.plusSeconds(3));

    TeamSpend a = store.get("a");
    assertThat(a.getCostMicros()).isEqualTo(1_234_572);
    assertThat(a.getCalls()).isEqualTo(2);
    assertThat(a.getCacheHits()).isEqualTo(1);
    assertThat(a.getUsage().getInputTokens()).isEqualTo(109);
    assertThat(a.getUsage().getOutputTokens()).isEqualTo(2_006);
    assertThat(a.getTeamId()).isEqualTo("a");
    assertThat(store.get("b").getCostMicros()).isEqualTo(7);
    assertThat(totals.isEmpty()).isTrue();
    driver.advanceWallClockTime(PUBLISH_INTERVAL);
    assertThat(totals.readKeyValuesToMap().get("a").getCostMicros()).isEqualTo(1_234_572);
  }

  @Test
  void eachChangedRowIsPublishedOncePerIntervalWithItsLatestValue() {
    for (int i = 0; i < 10; i++) {
      usage.pipeInput("a", event("c" + i, "a", 10, 1, 1, UsageKind.BILLED), T0.plusMillis(i));
    }
    usage.pipeInput("b", event("b0", "b", 7, 1, 1, UsageKind.BILLED), T0.plusMillis(10));
    driver.advanceWallClockTime(PUBLISH_INTERVAL);

    List<KeyValue<String, TeamSpend>> published = totals.readKeyValuesToList();
    assertThat(published).extracting(kv -> kv.key).containsExactly("a", "b");
    assertThat(published.get(0).value.getCostMicros()).isEqualTo(100);
    assertThat(published.get(0).value.getCalls()).isEqualTo(10);

    driver.advanceWallClockTime(PUBLISH_INTERVAL);
    assertThat(totals.isEmpty()).isTrue();
    usage.pipeInput("b", event("b1", "b", 3, 1, 1, UsageKind.BILLED), T0.plusSeconds(3));
    driver.advanceWallClockTime(PUBLISH_INTERVAL);
    assertThat(totals.readKeyValuesToList())
        .extracting(kv -> kv.key + "=" + kv.value.getCostMicros())
        .containsExactly("b=10");
  }

  @Test
  void aReplayedEventCountsOnce() {
    UsageEvent event = event("same-call", "a", 100, 10, 10, UsageKind.BILLED);
    usage.pipeInput("a", event, T0);
    usage.pipeInput("a", event, T0.plusSeconds(30));
    usage.pipeInput("a", event("other-call", "a", 1, 1, 1, UsageKind.BILLED), T0.plusSeconds(31));

    assertThat(store.get("a").getCostMicros()).isEqualTo(101);
    assertThat(store.get("a").getCalls()).isEqualTo(2);
  }

  @Test
  void poisonEventsAreDeadLetteredAndCountingGoesOn() {
    TestInputTopic<String, byte[]> raw =
        driver.createInputTopic(
            topics.usageEvents().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    TestOutputTopic<String, DeadLetter> dlq =
        driver.createOutputTopic(
            topics.deadLetters().name(),
            Serdes.String().deserializer(),
            serdes.of(DeadLetter.class));

    raw.pipeInput("a", new byte[] {1, 2, 3});
    usage.pipeInput("a", event("c1", "a", 3, 1, 1, UsageKind.BILLED), T0);

    DeadLetter letter = dlq.readValue();
    assertThat(letter.getFailedBy()).isEqualTo("usage-aggregator");
    assertThat(letter.getSourceTopic()).isEqualTo("usage-events");
    assertThat(store.get("a").getCostMicros()).isEqualTo(3);
  }

  static UsageEvent event(
      String callId, String team, long cost, long input, long output, UsageKind kind) {
    return UsageEvent.newBuilder()
        .setCallId(callId)
        .setRequestId("req-" + callId)
        .setTeamId(team)
        .setKeyId(team + "-key")
        .setKind(kind)
        .setModel("gpt-4o-mini")
        .setProvider("openai")
        .setDeploymentId("openai-gpt-4o-mini")
        .setProviderModel("gpt-4o-mini")
        .setUsage(TokenUsage.newBuilder().setInputTokens(input).setOutputTokens(output).build())
        .setCostMicros(cost)
        .setPriceVersion("v1")
        .setOccurredAt(T0)
        .build();
  }

  @Test
  void intentsStayInDoubtAtTheirWorstCaseUntilResolvedAndFailedCallsCostNothing() {
    KeyValueStore<String, UsageEvent> open = driver.getKeyValueStore(UsageStores.OPEN_CALLS);
    KeyValueStore<String, SpendRow> days = driver.getKeyValueStore(SpendTable.DAY.storeName());
    usage.pipeInput("a", intent("call-1", 100), T0);
    usage.pipeInput("a", intent("call-2", 100), T0);
    usage.pipeInput("a", intent("call-3", 100), T0);
    assertThat(open.approximateNumEntries()).isEqualTo(3);
    assertThat(store.get("a").getInDoubtMicros()).isEqualTo(300);
    assertThat(store.get("a").getInDoubtCalls()).isEqualTo(3);

    usage.pipeInput("a", event("call-1", "a", 40, 5, 5, UsageKind.BILLED), T0.plusSeconds(1));
    usage.pipeInput("a", event("call-2", "a", 0, 0, 0, UsageKind.FAILED), T0.plusSeconds(1));
    // A late copy of an intent for a resolved call must not reopen it.
    usage.pipeInput("a", intent("call-1", 100), T0.plusSeconds(2));

    assertThat(open.get(CallLedger.intentKey("a", "call-3"))).isNotNull();
    assertThat(open.get(CallLedger.intentKey("a", "call-1"))).isNull();
    assertThat(open.get(CallLedger.intentKey("a", "call-2"))).isNull();
    TeamSpend total = store.get("a");
    assertThat(total.getCalls()).isEqualTo(1);
    assertThat(total.getCostMicros()).isEqualTo(40);
    assertThat(total.getInDoubtMicros()).as("call-3 only, at its worst case").isEqualTo(100);
    assertThat(total.getInDoubtCalls()).isEqualTo(1);
    SpendRow day = days.get("a|2026-11-22");
    assertThat(day.getCostMicros()).isEqualTo(40);
    assertThat(day.getInDoubtMicros()).isEqualTo(100);
    assertThat(day.getInDoubtCalls()).isEqualTo(1);
  }

  private static UsageEvent intent(String callId, long worstCase) {
    UsageEvent intent = event(callId, "a", 0, 0, 0, UsageKind.IN_DOUBT);
    intent.setWorstCaseMicros(worstCase);
    return intent;
  }

  @Test
  void everyTableGetsItsRowInTheTeamsTimeZone() {
    teams.put(
        "a",
        TeamConfig.newBuilder()
            .setTeamId("a")
            .setLimits(new Limits(null, null))
            .setTimeZone("Asia/Tokyo")
            .build());
    UsageEvent late = event("c1", "a", 10, 1, 1, UsageKind.BILLED);
    late.setOccurredAt(Instant.parse("2026-11-21T15:30:00Z")); // 00:30 on the 22nd in Tokyo
    usage.pipeInput("a", late, T0);
    UsageEvent other = event("c2", "a", 5, 1, 1, UsageKind.BILLED);
    other.setModel("fast");
    other.setProvider("gemini");
    other.setKeyId("k2");
    usage.pipeInput("a", other, T0);
    usage.pipeInput("a", event("end-r", "a", 0, 0, 0, UsageKind.REQUEST_FAILED), T0);

    assertThat(row(SpendTable.DAY, "a|2026-11-22").getCostMicros()).isEqualTo(15);
    assertThat(row(SpendTable.DAY, "a|2026-11-21")).isNull();
    assertThat(row(SpendTable.MONTH, "a|2026-11").getCalls()).isEqualTo(2);
    assertThat(row(SpendTable.MODEL_DAY, "a|2026-11-22|gpt-4o-mini|openai").getCostMicros())
        .isEqualTo(10);
    assertThat(row(SpendTable.MODEL_DAY, "a|2026-11-22|fast|gemini").getCostMicros()).isEqualTo(5);
    assertThat(row(SpendTable.KEY_DAY, "a|2026-11-22|k2").getKeyId()).isEqualTo("k2");
    assertThat(store.get("a").getCalls()).isEqualTo(2);

    driver.advanceWallClockTime(PUBLISH_INTERVAL);
    Map<String, SpendRow> published =
        driver
            .createOutputTopic(
                topics.spendTable("day").name(),
                Serdes.String().deserializer(),
                serdes.of(SpendRow.class))
            .readKeyValuesToMap();
    assertThat(published.get("a|2026-11-22").getCostMicros()).isEqualTo(15);
  }

  @Test
  void eventsPastTheGracePeriodCountInTheTotalAsLateOnly() {
    UsageEvent yesterday = event("c1", "a", 7, 1, 1, UsageKind.BILLED);
    yesterday.setOccurredAt(Instant.parse("2026-11-21T08:00:00Z")); // day closed 09:00 ago + 1 h
    usage.pipeInput("a", yesterday, T0);
    UsageEvent withinGrace = event("c2", "a", 3, 1, 1, UsageKind.BILLED);
    withinGrace.setOccurredAt(Instant.parse("2026-11-22T09:59:00Z"));
    usage.pipeInput("a", withinGrace, T0);

    assertThat(store.get("a").getCostMicros()).isEqualTo(10);
    assertThat(store.get("a").getLateCalls()).isEqualTo(1);
    assertThat(row(SpendTable.DAY, "a|2026-11-21")).isNull();
    assertThat(row(SpendTable.DAY, "a|2026-11-22").getCostMicros()).isEqualTo(3);
    // November is still open: the month counts both.
    assertThat(row(SpendTable.MONTH, "a|2026-11").getCostMicros()).isEqualTo(10);
  }

  @Test
  void eachSoftThresholdAlertsOncePerPeriod() {
    teams.put(
        "a",
        TeamConfig.newBuilder()
            .setTeamId("a")
            .setLimits(new Limits(null, null))
            .setBudgets(List.of(new Budget(BudgetPeriod.DAY, 100L, List.of(50, 80, 100))))
            .build());
    TestOutputTopic<String, BudgetAlert> alerts =
        driver.createOutputTopic(
            topics.budgetAlerts().name(),
            Serdes.String().deserializer(),
            serdes.of(BudgetAlert.class));

    long[] costs = {40, 20, 30, 5, 4, 50};
    for (int i = 0; i < costs.length; i++) {
      usage.pipeInput("a", event("c" + i, "a", costs[i], 1, 1, UsageKind.BILLED), T0);
    }

    List<BudgetAlert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(BudgetAlert::getThresholdPct).containsExactly(50, 80, 100);
    assertThat(raised.get(0).getSpentMicros()).isEqualTo(60);
    assertThat(raised.get(0).getAlertId()).isEqualTo("a|day|2026-11-22|50");
    assertThat(raised.get(2).getSpentMicros()).isEqualTo(149);
  }

  @Test
  void deploymentsGetHourlyCallsErrorsAndLatency() {
    TestInputTopic<String, ProviderHealth> health =
        driver.createInputTopic(
            topics.providerHealth().name(),
            Serdes.String().serializer(),
            serdes.of(ProviderHealth.class));
    for (int i = 1; i <= 100; i++) {
      health.pipeInput(
          "openai-gpt-4o-mini",
          ProviderHealth.newBuilder()
              .setDeploymentId("openai-gpt-4o-mini")
              .setProvider("openai")
              .setProviderModel("gpt-4o-mini")
              .setOutcome(i % 10 == 0 ? AttemptOutcome.RETRYABLE_ERROR : AttemptOutcome.SUCCESS)
              .setLatencyMs(i)
              .setObservedAt(T0.plusSeconds(i))
              .build());
    }

    KeyValueStore<String, DeploymentStats> hours =
        driver.getKeyValueStore(UsageStores.DEPLOYMENT_HOURS);
    DeploymentStats row = hours.get("openai-gpt-4o-mini|2026-11-22T10");
    assertThat(row.getCalls()).isEqualTo(100);
    assertThat(row.getErrors()).isEqualTo(10);
    assertThat(row.getP50Ms()).isBetween(50L, 55L);
    assertThat(row.getP95Ms()).isBetween(95L, 105L);

    driver.advanceWallClockTime(PUBLISH_INTERVAL);
    List<DeploymentStats> published =
        driver
            .createOutputTopic(
                topics.deploymentStats().name(),
                Serdes.String().deserializer(),
                serdes.of(DeploymentStats.class))
            .readValuesToList();
    assertThat(published).extracting(DeploymentStats::getCalls).containsExactly(100L);
  }

  private SpendRow row(SpendTable table, String key) {
    KeyValueStore<String, SpendRow> rows = driver.getKeyValueStore(table.storeName());
    return rows.get(key);
  }
}
