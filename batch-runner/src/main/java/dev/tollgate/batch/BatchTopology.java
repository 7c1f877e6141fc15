package dev.tollgate.batch;

import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.platform.files.LineSource;
import dev.tollgate.platform.streams.TopicStreams;
import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.BatchAnswer;
import dev.tollgate.schemas.BatchCommand;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.Topics;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batches (see {@link BatchProcessor}).
 *
 * <ul>
 *   <li>in: {@code batch-replies} (key: request id {@code <batch id>/<line>}, value: {@link
 *       LlmReply}), re-keyed by batch id onto {@code batch-commands}
 *   <li>in: {@code batch-commands} (key: batch id, value: {@link BatchCommand})
 *   <li>store: {@code batch-store} (batch id to {@link Batch}), {@code batch-lines-in-flight-store}
 *       (line sent and not answered, {@code <batch id>/<line>} to its custom_id)
 *   <li>out: {@code llm-requests} (bulk lane), {@code batch-results}, {@code batches}, {@code
 *       batch-files}; {@code llm-requests-dlq} for records that do not decode
 * </ul>
 */
public final class BatchTopology {

  public static final String SERVICE = "batch-runner";

  /** Kept from when ingest ran the topology, so the runner takes over its state and offsets. */
  public static final String APPLICATION_ID = "tollgate-batches";

  private static final Logger LOG = LoggerFactory.getLogger(BatchTopology.class);

  private BatchTopology() {}

  static Topology build(
      Topics topics,
      AvroSerdes serdes,
      Vouch vouch,
      BatchRunnerConfig config,
      Supplier<LineSource> lines) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchStores.BATCHES),
                Serdes.String(),
                serdes.of(Batch.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchStores.IN_FLIGHT),
                Serdes.String(),
                Serdes.String())
            .withCachingEnabled());
    TopicStreams streams = new TopicStreams(builder, topics, serdes, SERVICE);

    streams.to(
        streams
            .decoded(topics.batchReplies())
            .flatMap((key, reply) -> answer(reply), Named.as("answer-by-batch")),
        topics.batchCommands(),
        "answers");

    Serde<SpecificRecord> anyRecord =
        Serdes.serdeFrom(
            // Batch lines go out vouched for: the router trusts their key hash only if signed.
            vouch.signing(serdes.anySerializer()),
            (topic, bytes) -> {
              throw new UnsupportedOperationException("write-only");
            });
    streams.toAddressed(
        streams
            .decoded(topics.batchCommands())
            .flatMapValues(BatchTopology::input, Named.as("command-input"))
            .process(
                () -> new BatchProcessor(topics, config, lines),
                Named.as("run-batches"),
                BatchStores.BATCHES,
                BatchStores.IN_FLIGHT),
        anyRecord,
        "batch-out");
    return builder.build();
  }

  private static List<BatchInput> input(BatchCommand command) {
    return BatchInput.of(command)
        .map(List::of)
        .orElseGet(
            () -> {
              LOG.warn("dropping a batch command this release does not know: {}", command);
              return List.of();
            });
  }

  /** The reply as its batch's command; nothing for a reply that is not to a batch line. */
  private static List<KeyValue<String, BatchCommand>> answer(LlmReply reply) {
    String id = reply.getRequestId();
    int slash = id.lastIndexOf('/');
    try {
      String batchId = id.substring(0, slash);
      int line = Integer.parseInt(id.substring(slash + 1));
      return List.of(
          KeyValue.pair(batchId, new BatchCommand(batchId, new BatchAnswer(line, reply))));
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      LOG.warn("dropping a reply on the batch reply topic that answers no batch line: {}", id);
      return List.of();
    }
  }
}
