package dev.tollgate.usage;

import dev.tollgate.schemas.TeamSpend;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

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
