package dev.tollgate.usage;

import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Reads the aggregator's tables with interactive queries (IQv2). A team's rows all live in the
 * partition of its team id; {@link #locate} says which, and the team queries read that partition
 * here if this instance holds it, active or standby, and report {@link NotHere} otherwise, so the
 * caller can ask the instance that does. The list queries read only the partitions this instance
 * holds as active, so that asking every instance finds each row once.
 */
final class UsageQueries {

  /** The store cannot answer now (rebalancing, restoring): the caller should retry. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  /** This instance does not hold the partition asked for. */
  static final class NotHere extends RuntimeException {
    NotHere() {
      super("not held by this instance");
    }
  }

  private final KafkaStreams streams;

  UsageQueries(KafkaStreams streams) {
    this.streams = streams;
  }

  /** Where {@code team}'s rows are: its partition, and the instances holding it. */
  KeyQueryMetadata locate(String team) {
    KeyQueryMetadata where =
        streams.queryMetadataForKey(UsageStores.TEAM_TOTALS, team, Serdes.String().serializer());
    if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new Unavailable("usage tables are not ready yet (rebalancing)");
    }
    return where;
  }

  /** Every instance of the aggregator, this one included. */
  List<HostInfo> instances() {
    return streams.metadataForAllStreamsClients().stream().map(m -> m.hostInfo()).toList();
  }

  /**
   * The team's total as of the last commit, as the rows are: range queries on a cached store read
   * past the cache, so a total read from the cache could run ahead of the rows beside it.
   */
  Optional<TeamSpend> teamTotal(String team, int partition) {
    return Optional.ofNullable(
        one(
            streams.query(
                StateQueryRequest.inStore(UsageStores.TEAM_TOTALS)
                    .withQuery(KeyQuery.<String, TeamSpend>withKey(team).skipCache())
                    .withPartitions(Set.of(partition))),
            partition));
  }

  /** The rows of {@code table} with keys from {@code from} to {@code to}, in key order. */
  List<SpendRow> rows(SpendTable table, String from, String to, int partition) {
    StateQueryResult<KeyValueIterator<String, SpendRow>> result =
        streams.query(
            StateQueryRequest.inStore(table.storeName())
                .withQuery(RangeQuery.<String, SpendRow>withRange(from, to))
                .withPartitions(Set.of(partition)));
    List<SpendRow> rows = new ArrayList<>();
    try (KeyValueIterator<String, SpendRow> it = one(result, partition)) {
      it.forEachRemaining(kv -> rows.add(kv.value));
    }
    return rows;
  }

  /** Every team total in the partitions active here. */
  List<TeamSpend> localTotals() {
    List<TeamSpend> totals = new ArrayList<>();
    for (KeyValue<String, TeamSpend> kv :
        localActive(UsageStores.TEAM_TOTALS, RangeQuery.<String, TeamSpend>withNoBounds())) {
      totals.add(kv.value);
    }
    return totals;
  }

  /**
   * The deployment rows of the partitions active here, with hours from {@code from} to {@code to}.
   */
  List<DeploymentStats> localDeploymentHours(String from, String to) {
    List<DeploymentStats> rows = new ArrayList<>();
    for (KeyValue<String, DeploymentStats> kv :
        localActive(
            UsageStores.DEPLOYMENT_HOURS, RangeQuery.<String, DeploymentStats>withNoBounds())) {
      String hour = kv.value.getHour();
      if (hour.compareTo(from) >= 0 && hour.compareTo(to) <= 0) {
        rows.add(kv.value);
      }
    }
    return rows;
  }

  private <V> List<KeyValue<String, V>> localActive(String store, RangeQuery<String, V> query) {
    StateQueryResult<KeyValueIterator<String, V>> result =
        streams.query(StateQueryRequest.inStore(store).withQuery(query).requireActive());
    List<KeyValue<String, V>> out = new ArrayList<>();
    for (QueryResult<KeyValueIterator<String, V>> partition :
        result.getPartitionResults().values()) {
      if (partition.isFailure()) {
        if (partition.getFailureReason() == FailureReason.NOT_ACTIVE) {
          continue; // a standby copy here: its active instance answers for it
        }
        throw new Unavailable(partition.getFailureReason() + ": " + partition.getFailureMessage());
      }
      try (KeyValueIterator<String, V> it = partition.getResult()) {
        it.forEachRemaining(out::add);
      }
    }
    return out;
  }

  private static <R> R one(StateQueryResult<R> result, int partition) {
    QueryResult<R> answer = result.getPartitionResults().get(partition);
    if (answer == null) {
      throw new NotHere();
    }
    if (answer.isFailure()) {
      switch (answer.getFailureReason()) {
        case NOT_PRESENT, NOT_ACTIVE -> throw new NotHere();
        default ->
            throw new Unavailable(answer.getFailureReason() + ": " + answer.getFailureMessage());
      }
    }
    return answer.getResult();
  }
}
