package dev.tollgate.usage;

import dev.tollgate.platform.serde.AvroSerdes;
import dev.tollgate.platform.streams.DecodeProcessor;
import dev.tollgate.platform.streams.Decoded;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.Topics;
import dev.tollgate.schemas.UsageEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The usage ledger: every billed call counted once, summed per team.
 *
 * <ul>
 *   <li>in: {@code usage-events} (key: team id, value: {@link UsageEvent})
 *   <li>store: {@value #TEAM_TOTALS} (team id to {@link TeamSpend}), queried over HTTP
 *   <li>store: {@value #RESOLVED_CALLS} (call id, windowed), so a replayed event counts once
 *   <li>store: {@value #OPEN_INTENTS} ({@code team/callId}): calls announced and not resolved, the
 *       ones whose outcome a crash lost (see {@link CallLedger})
 *   <li>out: {@code team-spend-total} (compacted; key: team id, value: {@link TeamSpend})
 *   <li>out: {@code llm-requests-dlq} (key: source key, value: {@link DeadLetter}) for events that
 *       do not decode
 * </ul>
 */
public final class UsageTopology {

  public static final String SERVICE = "usage-aggregator";
  public static final String APPLICATION_ID = "tollgate-usage-aggregator";
  public static final String TEAM_TOTALS = "team-spend-total-store";
  public static final String RESOLVED_CALLS = "resolved-calls-store";
  public static final String OPEN_INTENTS = "open-intents-store";

  private UsageTopology() {}

  public static Topology build(Topics topics, AvroSerdes serdes, Duration dedupRetention) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(RESOLVED_CALLS, dedupRetention, dedupRetention, false),
            Serdes.String(),
            Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(OPEN_INTENTS), Serdes.String(), Serdes.Long()));

    Map<String, KStream<String, Decoded<UsageEvent>>> decoded =
        builder.stream(
                topics.usageEvents().name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("usage-events"))
            .processValues(
                () -> new DecodeProcessor<>(SERVICE, serdes.of(UsageEvent.class)),
                Named.as("decode-usage"))
            .split(Named.as("usage-"))
            .branch((key, value) -> !value.isOk(), Branched.as("poison"))
            .defaultBranch(Branched.as("ok"));

    decoded
        .get("usage-poison")
        .mapValues(Decoded::deadLetter, Named.as("to-dead-letter"))
        .to(
            topics.deadLetters().name(),
            Produced.with(Serdes.String(), serdes.of(DeadLetter.class)).withName("dead-letters"));

    decoded
        .get("usage-ok")
        .mapValues(Decoded::value, Named.as("decoded-usage"))
        .processValues(
            () -> new CallLedger(dedupRetention),
            Named.as("call-ledger"),
            RESOLVED_CALLS,
            OPEN_INTENTS)
        .groupByKey(Grouped.with("by-team", Serdes.String(), serdes.of(UsageEvent.class)))
        .aggregate(
            SpendAggregator::empty,
            SpendAggregator::add,
            Named.as("sum-team-spend"),
            Materialized.<String, TeamSpend, KeyValueStore<Bytes, byte[]>>as(TEAM_TOTALS)
                .withKeySerde(Serdes.String())
                .withValueSerde(serdes.of(TeamSpend.class)))
        .toStream(Named.as("team-spend-changes"))
        .to(
            topics.teamSpendTotals().name(),
            Produced.with(Serdes.String(), serdes.of(TeamSpend.class))
                .withName("team-spend-total"));

    return builder.build();
  }
}
