package dev.tollgate.platform.files;

import dev.tollgate.core.kafka.RecordReads;
import dev.tollgate.schemas.BatchResult;
import dev.tollgate.schemas.BatchResults;
import dev.tollgate.schemas.FileChunk;
import dev.tollgate.schemas.InputChunks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads files back from Kafka with a consumer of its own (no group, read-committed): an upload's
 * chunks by their offsets, a batch's output or error file from its results on {@code
 * batch-results}. Not thread-safe; one per reader.
 */
public final class FileContent implements LineSource {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String chunkTopic;
  private final String resultTopic;
  private final Deserializer<FileChunk> chunks;
  private final Deserializer<BatchResult> results;

  public FileContent(
      Properties clientProps,
      String chunkTopic,
      String resultTopic,
      Deserializer<FileChunk> chunks,
      Deserializer<BatchResult> results) {
    this.consumer = RecordReads.consumer(clientProps);
    this.chunkTopic = chunkTopic;
    this.resultTopic = resultTopic;
    this.chunks = chunks;
    this.results = results;
  }

  @Override
  public List<String> chunk(InputChunks file, int index) {
    TopicPartition partition = new TopicPartition(chunkTopic, file.getPartition());
    long offset = file.getOffsets().get(index);
    return RecordReads.valueAt(consumer, partition, offset, READ_TIMEOUT)
        .map(value -> chunks.deserialize(chunkTopic, value).getLines())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "chunk " + index + " of a file is missing at " + partition + "@" + offset));
  }

  /** Every line of an uploaded file, in order (a line over the size limit as its marker). */
  public void inputLines(InputChunks file, Consumer<String> sink) {
    for (int i = 0; i < file.getOffsets().size(); i++) {
      chunk(file, i).forEach(sink);
    }
  }

  /**
   * The lines of a batch's output file ({@code errors} false) or error file, in the order they were
   * answered; each line once.
   */
  public void results(BatchResults file, Consumer<String> sink) {
    int partitions = consumer.partitionsFor(resultTopic).size();
    byte[] key = file.getBatchId().getBytes(StandardCharsets.UTF_8);
    // Where Kafka's default partitioner put the batch's records (the key is the batch id).
    TopicPartition partition =
        new TopicPartition(resultTopic, Utils.toPositive(Utils.murmur2(key)) % partitions);
    consumer.assign(List.of(partition));
    // An hour of margin for clock skew between the instance that created the batch and the one
    // that ran it; results are filtered by batch id anyway.
    long since = file.getSince().toEpochMilli() - Duration.ofHours(1).toMillis();
    Map<TopicPartition, OffsetAndTimestamp> start =
        consumer.offsetsForTimes(Map.of(partition, since));
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    if (start.get(partition) == null) {
      return;
    }
    consumer.seek(partition, start.get(partition).offset());
    Set<Integer> seen = new HashSet<>();
    long until = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("reading results of " + file.getBatchId() + " timed out");
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (!file.getBatchId().equals(record.key()) || record.value() == null) {
          continue;
        }
        BatchResult result = results.deserialize(record.topic(), record.value());
        if (result.getOk() != file.getErrors() && seen.add(result.getLine())) {
          sink.accept(result.getJson());
        }
      }
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
