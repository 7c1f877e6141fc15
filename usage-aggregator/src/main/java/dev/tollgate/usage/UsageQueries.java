package dev.tollgate.usage;

import dev.tollgate.schemas.TeamSpend;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Reads the aggregator's tables with interactive queries (IQv2). */
final class UsageQueries {

  /** The store cannot answer now (rebalancing, restoring): the caller should retry. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private final KafkaStreams streams;

  UsageQueries(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The calls of {@code team} announced and never resolved: outcomes a crash lost. */
  long inDoubtCalls(String team) {
    StateQueryResult<KeyValueIterator<String, Long>> result =
        streams.query(
            StateQueryRequest.inStore(UsageTopology.OPEN_INTENTS)
                .withQuery(
                    RangeQuery.<String, Long>withRange(
                        CallLedger.intentKey(team, ""), CallLedger.intentKey(team, "\uffff"))));
    long count = 0;
    for (QueryResult<KeyValueIterator<String, Long>> partition :
        result.getPartitionResults().values()) {
      if (partition.isFailure()) {
        throw new Unavailable(partition.getFailureReason() + ": " + partition.getFailureMessage());
      }
      try (KeyValueIterator<String, Long> intents = partition.getResult()) {
        while (intents.hasNext()) {
          intents.next();
          count++;
        }
      }
    }
    return count;
  }

  Optional<TeamSpend> teamTotal(String team) {
    StateQueryResult<TeamSpend> result =
        streams.query(
            StateQueryRequest.inStore(UsageTopology.TEAM_TOTALS)
                .withQuery(KeyQuery.<String, TeamSpend>withKey(team)));
    if (result.getPartitionResults().isEmpty()) {
      throw new Unavailable("usage tables are not ready yet");
    }
    QueryResult<TeamSpend> partition = result.getOnlyPartitionResult();
    if (partition.isFailure()) {
      throw new Unavailable(partition.getFailureReason() + ": " + partition.getFailureMessage());
    }
    return Optional.ofNullable(partition.getResult());
  }
}
